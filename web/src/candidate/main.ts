import '../shared/base.css';
import './candidate.css';
import { startCandidateApp } from './candidate-app.js';

const root = document.getElementById('app');
if (root !== null) startCandidateApp(root);
