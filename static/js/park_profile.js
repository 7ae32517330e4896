// Draws a park's statistics (static/vendor/echarts) from the JSON that the profile page embeds with
// Django's json_script: {periods: [...], series: [{name, data: [...]}], unit}.
(function () {
  "use strict";

  function draw() {
    var holder = document.getElementById("park-statistics-chart");
    var source = document.getElementById("park-statistics-data");
    if (!holder || !source || typeof window.echarts === "undefined") {
      return;
    }
    var data = JSON.parse(source.textContent);
    var chart = window.echarts.init(holder, null, { renderer: "svg" });
    // Bars compare figures within a period; with several periods a line per figure shows the trend better.
    var type = data.periods.length > 2 ? "line" : "bar";
    chart.setOption({
      tooltip: { trigger: "axis", valueFormatter: function (v) { return v === null || v === undefined ? "—" : v + " " + data.unit; } },
      legend: { type: "scroll", top: 0 },
      grid: { left: 48, right: 16, top: 48, bottom: 32, containLabel: true },
      xAxis: { type: "category", data: data.periods },
      yAxis: { type: "value", name: data.unit, nameTextStyle: { align: "left" } },
      series: data.series.map(function (s) {
        return {
          name: s.name,
          type: type,
          data: s.data,
          connectNulls: true,
          label: { show: type === "bar", position: "top" },
        };
      }),
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
