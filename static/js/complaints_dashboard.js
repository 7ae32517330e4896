// The 吐槽区 panel of the officials' home: three ECharts charts drawn from the JSON that the panel embeds
// with json_script (complaints/dashboard.py, chart_data). ECharts is loaded on demand from static/vendor
// when no other panel has loaded it yet.
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

  function chart(id, option) {
    var element = document.getElementById(id);
    if (!element) {
      return;
    }
    var instance = window.echarts.init(element, null, { renderer: "svg" });
    instance.setOption(option);
    window.addEventListener("resize", function () { instance.resize(); });
  }

  function draw(data) {
    var labels = data.labels;
    chart("complaints-chart-category", {
      title: { text: labels.byCategory, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "item" },
      series: [{
        type: "pie",
        radius: ["35%", "65%"],
        top: 24,
        data: data.byCategory,
        label: { formatter: "{b}\n{c}" },
      }],
    });
    chart("complaints-chart-department", {
      title: { text: labels.byDepartment, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      legend: { top: 22 },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: data.byDepartment.names, inverse: true },
      series: [
        { name: labels.total, type: "bar", data: data.byDepartment.total },
        { name: labels.open, type: "bar", data: data.byDepartment.open },
        { name: labels.overdue, type: "bar", data: data.byDepartment.overdue, itemStyle: { color: "#a61b1b" } },
      ],
    });
    chart("complaints-chart-trend", {
      title: { text: labels.trend, textStyle: { fontSize: 13 } },
      tooltip: { trigger: "axis" },
      legend: { top: 22 },
      grid: { left: 8, right: 16, top: 56, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: data.trend.months },
      yAxis: { type: "value", minInterval: 1 },
      series: [
        { name: labels.created, type: "line", smooth: true, data: data.trend.created },
        { name: labels.closed, type: "line", smooth: true, data: data.trend.closed },
      ],
    });
  }

  function start() {
    var holder = document.getElementById("complaints-charts");
    var source = document.getElementById("complaints-dashboard-data");
    if (!holder || !source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    withEcharts(holder, function () { draw(data); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
