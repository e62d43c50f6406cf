/** Entry point: applies the saved theme, then registers the app element. */
const theme = localStorage.getItem('kuykan.theme');
if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;

import('./kk-app.js');
