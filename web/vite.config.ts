import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // The shared schemas are TypeScript sources in a sibling workspace: bundle them, never import
  // them at run time (Node 20 cannot load .ts files).
  ssr: { noExternal: ['@reeltime/schemas'] },
  server: { port: Number(process.env.WEB_PORT ?? 3000), fs: { allow: ['..'] } },
});
