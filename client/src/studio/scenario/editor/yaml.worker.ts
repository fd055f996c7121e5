// monaco-yaml's language worker, re-exported from our own file so Vite bundles it as a worker
// (importing the package path directly fails with "Unexpected usage" under Vite).
import 'monaco-yaml/yaml.worker.js';
