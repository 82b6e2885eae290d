// Deployment settings of the map, read by map.js. The tile layer is OpenStreetMap by
// default; for 天地图 set tileUrl to its WMTS template with your key, e.g.
//   tileUrl: 'https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=YOUR_KEY',
//   subdomains: '01234567', attribution: '天地图'
window.ZHIYUAN_CONFIG = {
  tileUrl: 'https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png',
  subdomains: 'abc',
  attribution: '&copy; OpenStreetMap contributors'
};
