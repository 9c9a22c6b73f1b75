/**
 * The report page's own script, inlined after Chart.js. It is kept as plain ES2017 source text
 * (not a TypeScript function turned into a string) so no compiler helper can leak into the page.
 * It only instantiates what `buildCharts` prepared and paints the misclassified images; all the
 * numbers are computed in TypeScript, where they are tested.
 *
 * On success it sets `<html data-report-ready="true">` and exposes `window.nablaReport = { charts }`
 * (chart id → Chart instance) for tests and for anyone poking at the page in dev tools.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  'use strict';
  var charts = {};
  window.nablaReport = { charts: charts };

  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent || 'null') : null;
  }

  function formatNumber(v) {
    if (typeof v !== 'number' || !isFinite(v)) return '';
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(2);
    return String(Number(v.toPrecision(4)));
  }

  // Log axes: label only 'round' ticks so the decades read at a glance without crowding: every
  // mantissa on a narrow axis, 1-2-3-5 over about a decade, 1-2-5 up to four, then powers of ten.
  function formatLogTick(v, index, ticks) {
    var lo = ticks[0].value, hi = ticks[ticks.length - 1].value;
    var decades = Math.log10(hi / lo);
    var e = Math.floor(Math.log10(v) + 1e-9);
    var m = v / Math.pow(10, e);
    var mantissa = Math.round(m);
    if (Math.abs(m - mantissa) > 1e-6) return '';
    var allowed = decades < 0.5 ? [1, 2, 3, 4, 5, 6, 7, 8, 9] : decades < 1.5 ? [1, 2, 3, 5] : decades < 4 ? [1, 2, 5] : [1];
    if (allowed.indexOf(mantissa) < 0) return '';
    return e >= -3 && e <= 3 ? String(Number(v.toPrecision(1))) : mantissa + 'e' + e;
  }

  var formats = {
    number: { tick: formatNumber, tip: formatNumber },
    percent: { tick: function (v) { return formatNumber(v) + '%'; }, tip: function (v) { return v.toFixed(2) + '%'; } },
    log: { tick: formatLogTick, tip: function (v) { return v.toExponential(3); } },
  };

  function fail(box, message) {
    console.error('nabla report: ' + message);
    var p = document.createElement('p');
    p.className = 'chart-error';
    p.textContent = message;
    box.appendChild(p);
  }

  function drawCharts(specs) {
    if (typeof Chart === 'undefined') {
      fail(document.body, 'Chart.js did not load: the charts cannot be drawn.');
      return false;
    }
    Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
    Chart.defaults.color = '#374151';
    var ok = true;
    specs.forEach(function (spec) {
      var canvas = document.getElementById(spec.id);
      if (!canvas) { ok = false; console.error('nabla report: no canvas for ' + spec.id); return; }
      var f = formats[spec.yFormat] || formats.number;
      var cfg = spec.config;
      cfg.options.scales.y.ticks = Object.assign({}, cfg.options.scales.y.ticks, { callback: f.tick });
      cfg.options.plugins.tooltip = {
        callbacks: {
          label: function (ctx) { return ctx.dataset.label + ': ' + f.tip(ctx.parsed.y); },
        },
      };
      try {
        charts[spec.id] = new Chart(canvas, cfg);
      } catch (e) {
        ok = false;
        fail(canvas.parentNode, spec.title + ': ' + (e && e.message ? e.message : String(e)));
      }
    });
    return ok;
  }

  // Each misclassified sample's pixels (0..1, ink = 1) painted dark on light, one canvas pixel per input.
  function drawSamples(history) {
    var final = history && history.final;
    var items = (final && final.misclassified) || [];
    var canvases = document.querySelectorAll('canvas[data-sample]');
    for (var i = 0; i < canvases.length; i++) {
      var c = canvases[i];
      var sample = items[Number(c.getAttribute('data-sample'))];
      if (!sample || !sample.pixels) continue;
      var w = c.width, h = c.height, ctx = c.getContext('2d');
      var img = ctx.createImageData(w, h);
      for (var k = 0; k < w * h; k++) {
        var v = sample.pixels[k];
        var g = Math.round(255 * (1 - Math.min(1, Math.max(0, typeof v === 'number' ? v : 0))));
        img.data[4 * k] = g;
        img.data[4 * k + 1] = g;
        img.data[4 * k + 2] = g;
        img.data[4 * k + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
    }
  }

  // Charts keep the size they had on screen unless told the page is being printed.
  window.addEventListener('beforeprint', function () { for (var id in charts) charts[id].resize(); });
  window.addEventListener('afterprint', function () { for (var id in charts) charts[id].resize(); });

  var ok = true;
  try {
    var history = readJson('nabla-history');
    var specs = readJson('nabla-charts') || [];
    ok = drawCharts(specs);
    drawSamples(history);
  } catch (e) {
    ok = false;
    console.error('nabla report: ' + (e && e.message ? e.message : String(e)));
  }
  document.documentElement.setAttribute('data-report-ready', ok ? 'true' : 'error');
})();
`;
