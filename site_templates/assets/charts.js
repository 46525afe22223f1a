/* Draws the site's charts with the plotly.js served by the site itself.
 *
 * Each chart is a <figure class="qa-chart"> holding an empty plot <div> with
 * its figure as JSON in a data-qa-figure attribute. plotly.js (4.6 MB) is fetched only when a page has a
 * chart, once. mkdocs-material's instant navigation swaps pages without
 * reloading, so charts are drawn on every page change (document$), and the
 * colours follow the light/dark palette switch. In print they are drawn again
 * to the width of the paper, in black on white (see "Printing" below). On a
 * narrow screen they are drawn to fit it (see "Phones" below).
 */
(function () {
  "use strict";

  var script = document.currentScript;
  var plotlyUrl = new URL("plotly.min.js", script ? script.src : location.href).href;
  var loading = null;
  var plotlyStyle = null;

  // Never offer to send the data anywhere: plotly's "share to cloud" button
  // would upload the chart, and this content is sensitive.
  var CONFIG = {
    showSendToCloud: false,
    showEditInChartStudio: false,
    plotlyServerURL: "",
    displaylogo: false,
    responsive: true,
    modeBarButtonsToRemove: ["sendDataToCloud", "select2d", "lasso2d"]
  };

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve(window.Plotly);
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var tag = document.createElement("script");
        tag.src = plotlyUrl;
        tag.onload = function () {
          keepPlotlyStyle();
          resolve(window.Plotly);
        };
        tag.onerror = function () { reject(new Error("could not load " + plotlyUrl)); };
        document.head.appendChild(tag);
      });
    }
    return loading;
  }

  // plotly.js adds its rules to a <style> in <head> with insertRule, and
  // instant navigation removes <head> nodes the next page does not have.
  // Keep the rules as text so the element can be put back whole.
  function keepPlotlyStyle() {
    var style = document.getElementById("plotly.js-style-global");
    if (!style || !style.sheet) return;
    var rules = Array.prototype.map.call(style.sheet.cssRules, function (rule) {
      return rule.cssText;
    });
    style.textContent = rules.join("\n");
    plotlyStyle = style;
  }

  function restorePlotlyStyle() {
    if (plotlyStyle && !plotlyStyle.isConnected) document.head.appendChild(plotlyStyle);
  }

  function themeColours() {
    var css = getComputedStyle(document.body);
    var text = css.getPropertyValue("--md-default-fg-color").trim() || "#000000";
    var grid = css.getPropertyValue("--md-default-fg-color--lightest").trim() || "#dddddd";
    return { text: text, grid: grid };
  }

  function themed(layout) {
    var colours = themeColours();
    var copy = JSON.parse(JSON.stringify(layout || {}));
    copy.font = Object.assign({}, copy.font, { color: colours.text });
    ["xaxis", "yaxis"].forEach(function (axis) {
      copy[axis] = Object.assign({}, copy[axis], { gridcolor: colours.grid, zerolinecolor: colours.grid });
    });
    return copy;
  }

  // Printing: plotly draws a chart at a fixed width, the width of the screen
  // it was drawn on, and does not redraw when the page is laid out for paper
  // (the window does not resize). So charts are drawn again when printing
  // starts and once more when it ends. Chromium fires "beforeprint" before the
  // print layout applies, then the print media query's "change" once it has
  // (only the second when print media is emulated); each redraws, at once, so
  // that paper gets the charts as the last of them drew them.

  // A4 portrait less the 20 mm margins of the @page rule (generator/theme/
  // main.html) leaves 170 by 257 mm of text: 642 by 971 CSS px. No chart is
  // drawn wider on paper, and one taller than 800 px (the heatmap of every
  // standard) is drawn smaller, leaving room on its sheet for its heading and
  // caption.
  var PRINT_WIDTH_MAX = Math.floor((170 * 96) / 25.4);
  var PRINT_HEIGHT_MAX = 800;
  var printQuery = window.matchMedia ? window.matchMedia("print") : null;
  var printing = false;

  // The width the chart has once print styles apply (its figure's); before
  // they do ("beforeprint") it is still the screen's, so it is capped.
  function printWidth(target) {
    var width = target.parentNode.clientWidth || PRINT_WIDTH_MAX;
    return Math.min(width, PRINT_WIDTH_MAX);
  }

  // Black on white whatever the palette: paper is white, and the dark
  // palette's light text would not show on it.
  function printed(layout, width) {
    var copy = JSON.parse(JSON.stringify(layout || {}));
    copy.autosize = false;
    copy.width = width;
    copy.font = Object.assign({}, copy.font, { color: "#000000" });
    ["xaxis", "yaxis"].forEach(function (axis) {
      copy[axis] = Object.assign({}, copy[axis], { gridcolor: "#cccccc", zerolinecolor: "#cccccc" });
    });
    return copy;
  }

  // The layout to draw a chart with now. On paper, a chart too tall for a
  // sheet is drawn at its own height and wider, then zoomed out to the sheet:
  // all of it scaled alike, text included.
  function layoutFor(target) {
    if (!printing) {
      target.style.zoom = "";
      var width = target.parentNode.clientWidth || NARROW;
      var layout = withTitle(themed(target._qaLayout), width);
      return isNarrow(target) ? narrowLayout(layout, width, target) : layout;
    }
    var height = (target._qaLayout && target._qaLayout.height) || 450;  // plotly's default
    var scale = Math.min(1, PRINT_HEIGHT_MAX / height);
    target.style.zoom = scale < 1 ? String(scale) : "";
    var paperWidth = Math.floor(printWidth(target) / scale);
    return withTitle(printed(target._qaLayout, paperWidth), paperWidth);
  }

  function dataFor(target) {
    return isNarrow(target) ? narrowData(target._qaData) : target._qaData;
  }

  // Draws one chart, or, for the grid on a phone, leaves it to its table.
  function drawOne(target, layout) {
    var hide = isNarrow(target) && isGrid(target._qaData);
    target.hidden = hide;
    if (hide) {
      if (window.Plotly && target.data) window.Plotly.purge(target);
      return;
    }
    window.Plotly.react(target, dataFor(target), layout, CONFIG);
  }

  // Phones: below 600 px a chart keeps its words whole rather than cutting
  // them. Titles, names beside bars and names under columns wrap onto more
  // lines; a category axis shows fewer labels; margins shrink. The grid of
  // every team on every standard is not drawn there: its cells would be too
  // small to read, and the table after it, which scrolls in its own region,
  // gives the same ratings.
  var NARROW = 600;

  function isNarrow(target) {
    return !printing && (target.parentNode.clientWidth || NARROW) < NARROW;
  }

  // Text of a figure is plotly markup with every character of its own written
  // as a reference (charts.py); a <br> put between words is the only markup.
  function wrapped(text, most) {
    if (typeof text !== "string" || text.length <= most) return text;
    var lines = [];
    var line = "";
    text.split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > most) {
        lines.push(line);
        line = word;
      } else {
        line = line ? line + " " + word : word;
      }
    });
    if (line) lines.push(line);
    return lines.join("<br>");
  }

  function titleText(layout) {
    var title = layout.title;
    return title && typeof title === "object" ? title.text : title;
  }

  // The title wrapped to the chart's width at any width, with room made for
  // its extra lines above the plot.
  function withTitle(layout, width) {
    var text = titleText(layout);
    if (!text) return layout;
    var lines = wrapped(text, Math.max(16, Math.floor((width - 20) / 9)));
    var extra = lines.split("<br>").length - 1;
    layout.title = Object.assign({}, layout.title, { text: lines });
    if (extra) {
      layout.margin = Object.assign({}, layout.margin);
      layout.margin.t = (layout.margin.t || 50) + 20 * extra;
    }
    return layout;
  }

  function narrowLayout(layout, width, target) {
    // A trend's band names stand in its right margin: keep room for them.
    var right = layout.annotations && layout.annotations.length ? 90 : 10;
    layout.margin = Object.assign({}, layout.margin, { l: 10, r: right });
    layout.font = Object.assign({}, layout.font, { size: 12 });
    if (layout.xaxis && layout.xaxis.type === "category") {
      layout.xaxis = Object.assign({}, layout.xaxis, {
        nticks: Math.max(2, Math.floor(width / 110)),
        automargin: true
      });
    }
    layout.yaxis = Object.assign({}, layout.yaxis, { automargin: true });
    // Names beside bars wrap onto more lines: each bar's row grows to hold them.
    var bars = (target._qaData || []).filter(function (trace) {
      return trace.type === "bar" && trace.orientation === "h" && Array.isArray(trace.y);
    });
    if (bars.length) {
      var lines = Math.max.apply(null, bars[0].y.map(function (name) {
        return wrapped(name, 18).split("<br>").length;
      }).concat([1]));
      var row = Math.max(34, 16 * lines + 10);
      layout.height = Math.max(layout.height || 0, (layout.margin.t || 50) + 40 + row * bars[0].y.length);
      // The names take much of a phone's width: the axis runs on past 100% to
      // leave room for the value and rating written after the longest bar.
      layout.xaxis = Object.assign({}, layout.xaxis, {
        range: [0, 165],
        tickvals: [0, 50, 100],
        ticktext: ["0%", "50%", "100%"]
      });
    }
    if (layout.yaxis.title && layout.yaxis.title.text) {
      layout.yaxis.title = Object.assign({}, layout.yaxis.title, { font: { size: 12 } });
    }
    if (layout.legend) {
      layout.legend = Object.assign({}, layout.legend, { orientation: "h", x: 0, xanchor: "left" });
    }
    return layout;
  }

  function narrowData(data) {
    return data.map(function (trace) {
      var copy = Object.assign({}, trace);
      if (trace.type === "bar" && trace.orientation === "h" && Array.isArray(trace.y)) {
        copy.y = trace.y.map(function (name) { return wrapped(name, 18); });
      } else if (trace.type === "bar" && Array.isArray(trace.x)) {
        copy.x = trace.x.map(function (name) { return wrapped(name, 12); });
      }
      if (trace.type === "bar" && trace.textfont) {
        copy.textfont = Object.assign({}, trace.textfont, { size: 11 });
      }
      return copy;
    });
  }

  function isGrid(data) {
    return (data || []).some(function (trace) { return trace.type === "heatmap"; });
  }

  function redrawAll() {
    if (!window.Plotly) return;
    document.querySelectorAll(".qa-chart__plot").forEach(function (target) {
      if (!target._qaLayout || !target._qaData) return;
      var layout = layoutFor(target);
      // Back on screen, plotly would keep the paper's width: autosize makes it
      // measure the plot again, as it does when the window is resized.
      if (!printing) layout.autosize = true;
      drawOne(target, layout);
    });
  }

  function startPrinting() {
    printing = true;
    redrawAll();
  }

  // Both "afterprint" and the media query's change call this: at the first the
  // page may still be laid out for paper, and plotly would size the chart to it.
  function stopPrinting() {
    printing = false;
    redrawAll();
  }

  window.addEventListener("beforeprint", startPrinting);
  window.addEventListener("afterprint", stopPrinting);
  if (printQuery) {
    var onPrintQuery = function (event) {
      if (event.matches) startPrinting();
      else stopPrinting();
    };
    if (printQuery.addEventListener) printQuery.addEventListener("change", onPrintQuery);
    else if (printQuery.addListener) printQuery.addListener(onPrintQuery);  // Safari < 14
    printing = printQuery.matches;
  }

  function plots() {
    return Array.prototype.slice.call(document.querySelectorAll(".qa-chart"));
  }

  function draw() {
    var figures = plots();
    if (!figures.length) return;
    loadPlotly().then(function (Plotly) {
      restorePlotlyStyle();
      figures.forEach(function (figure) {
        var target = figure.querySelector(".qa-chart__plot");
        if (!target || !target.isConnected || !target.dataset.qaFigure) return;
        var spec = JSON.parse(target.dataset.qaFigure);
        target._qaLayout = spec.layout;
        target._qaData = spec.data;
        target.hidden = false;  // measured at its width, then drawn or hidden
        drawOne(target, layoutFor(target));
      });
    }).catch(function (error) {
      figures.forEach(function (figure) {
        var target = figure.querySelector(".qa-chart__plot");
        if (target) target.textContent = "The chart could not be drawn; the table below has the same figures.";
      });
      if (window.console) console.warn(error.message);
    });
  }

  function recolour() {
    if (!window.Plotly) return;
    document.querySelectorAll(".qa-chart__plot").forEach(function (target) {
      if (target._qaLayout && !target.hidden) window.Plotly.relayout(target, layoutFor(target));
    });
  }

  // Turning a phone, or narrowing a window, across 600 px draws the charts for
  // the new width (plotly itself only resizes them).
  var narrowQuery = window.matchMedia ? window.matchMedia("(max-width: 37.5em)") : null;
  if (narrowQuery) {
    var onNarrow = function () { if (!printing) redrawAll(); };
    if (narrowQuery.addEventListener) narrowQuery.addEventListener("change", onNarrow);
    else if (narrowQuery.addListener) narrowQuery.addListener(onNarrow);
  }

  new MutationObserver(recolour).observe(document.body, {
    attributes: true,
    attributeFilter: ["data-md-color-scheme"]
  });

  if (window.document$ && typeof window.document$.subscribe === "function") {
    var announced = false;
    window.document$.subscribe(function () {
      announced = true;
      draw();
    });
    // Opened from files (Material's offline plugin), the theme never announces
    // the page: draw once it has loaded.
    window.addEventListener("load", function () {
      if (!announced) draw();
    });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
