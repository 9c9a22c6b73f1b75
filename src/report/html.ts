/**
 * Escaping and number formatting for the HTML report. Everything user-controlled (command lines,
 * data set and class names) goes through `escapeHtml` or `jsonForScript` before it reaches the page.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Escapes text for an HTML text node or a quoted attribute value.
 *
 * @example
 * escapeHtml('a < b & "c"'); // 'a &lt; b &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` become `\u003c`,
 * `\u003e` and `\u0026`, so no string in the data can close the script element (`</script>`)
 * or open a comment (`<!--`); U+2028/U+2029 are escaped too. `JSON.parse` reads it back unchanged.
 * Non-finite numbers become `null`, as `JSON.stringify` makes them.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Inline JavaScript source made safe to sit inside `<script>…</script>`: any `</script` is split. */
export function scriptSafe(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}

/** A number with `digits` significant digits, or an en dash when it is missing or not finite. */
export function formatNumber(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '–';
  if (x !== 0 && (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6)) return x.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
  return Number(x.toPrecision(digits)).toString();
}

/** A fraction in 0..1 as a percentage with two decimals: 0.91234 → '91.23%'. */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return '–';
  return `${(fraction * 100).toFixed(2)}%`;
}

/** Seconds as '850 ms', '12.3 s' or '4 min 05 s'. */
export function formatSeconds(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const total = Math.round(seconds);
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${m} min ${String(s).padStart(2, '0')} s`;
}

/** An integer with thin-space thousands separators: 50890 → '50 890' (unambiguous in every locale). */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '\u2009');
}

/** An ISO timestamp as '2026-11-23 17:00 UTC'; any other text unchanged. */
export function formatTimestamp(iso: string): string {
  const t = Date.parse(iso);
  if (!/^\d{4}-\d\d-\d\dT/.test(iso) || Number.isNaN(t)) return iso;
  return `${new Date(t).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
