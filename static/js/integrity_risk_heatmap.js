// The risk panel of the officials' home: inherent and residual risks on the 5 x 5 matrix as two ECharts
// heat maps, drawn from the JSON the panel embeds with json_script (integrity/dashboard_risk.py):
// {likelihood: [5 labels], impact: [5 labels], inherent: [[x, y, count]], residual: [...], max}.
// ECharts is loaded on demand from static/vendor when no other panel has loaded it yet.
(function () {
  "use strict";

  function withEcharts(holder, callback) {
    if (typeof window.echarts !== "undefined") {
      callback();
      return;
    }
    var src = holder.getAttribute("data-echarts-src");
    var existing = document.querySelector('script[src="' + src + '"]');
    if (existing) {
      existing.addEventListener("load", callback);
      return;
    }
    var script = document.createElement("script");
    script.src = src;
    script.addEventListener("load", callback);
    document.head.appendChild(script);
  }

  function heatmap(id, cells, data) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var chart = window.echarts.init(element, null, { renderer: "svg" });
    chart.setOption({
      tooltip: {
        position: "top",
        formatter: function (p) {
          return data.likelihood[p.value[0]] + " × " + data.impact[p.value[1]] + ": " + p.value[2];
        },
      },
      grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
      xAxis: { type: "category", data: data.likelihood, splitArea: { show: true }, axisLabel: { interval: 0, fontSize: 10 } },
      yAxis: { type: "category", data: data.impact, splitArea: { show: true }, axisLabel: { fontSize: 10 } },
      visualMap: {
        min: 0,
        max: data.max,
        calculable: false,
        orient: "horizontal",
        left: "center",
        bottom: 0,
        itemHeight: 80,
        inRange: { color: ["#f1f8e9", "#ffe082", "#ff8a65", "#c62828"] },
      },
      series: [{ type: "heatmap", data: cells, label: { show: true }, emphasis: { itemStyle: { borderColor: "#333", borderWidth: 1 } } }],
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function draw() {
    var holder = document.getElementById("risk-heatmaps");
    var source = document.getElementById("risk-heatmap-data");
    if (!holder || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    withEcharts(holder, function () {
      heatmap("risk-heatmap-inherent", data.inherent, data);
      heatmap("risk-heatmap-residual", data.residual, data);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
