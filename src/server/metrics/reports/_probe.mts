import * as echarts from 'echarts/core';
import { LineChart, BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
echarts.use([LineChart, BarChart, GridComponent, LegendComponent, SVGRenderer]);
const chart = echarts.init(null as any, null, { renderer: 'svg', ssr: true, width: 500, height: 200 });
chart.setOption({ animation: false, legend: {}, xAxis: { type: 'category', data: ['1','2','3'] }, yAxis: { type: 'value' }, series: [{ type: 'line', name: 'Contacts', data: [3, 5, 2] }, { type: 'bar', name: 'Cases', data: [1, 2, 1] }] });
console.log(chart.renderToSVGString());
