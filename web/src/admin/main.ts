import '../shared/base.css';
import './admin.css';
import { startAdminApp } from './admin-app.js';

const root = document.getElementById('app');
if (root !== null) startAdminApp(root);
