/* Draws the site's charts with the plotly.js served by the site itself.
 *
 * Each chart is a <figure class="qa-chart"> holding an empty plot <div> with
 * its figure as JSON in a data-qa-figure attribute. plotly.js (4.6 MB) is fetched only when a page has a
 * chart, once. mkdocs-material's instant navigation swaps pages without
 * reloading, so charts are drawn on every page change (document$), and the
 * colours follow the light/dark palette switch.
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
        Plotly.react(target, spec.data, themed(spec.layout), CONFIG);
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
      if (target._qaLayout) window.Plotly.relayout(target, themed(target._qaLayout));
    });
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
