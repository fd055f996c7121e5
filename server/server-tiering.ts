// V8's tiering for a server (v8-tiering.ts says why), set on import: the server's and the command
// line's first import, so it holds before their other modules load.
import { useServerTiering } from './v8-tiering.ts';

useServerTiering();
