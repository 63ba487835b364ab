// Entry point: mounts the app shell into #app.
import './styles.css';
import { startApp } from './app';

const root = document.getElementById('app');
if (root) void startApp(root);
