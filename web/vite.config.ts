import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [sveltekit()],
  // The shared schemas and logger are TypeScript sources in sibling workspaces: bundle them, never import
  // them at run time (Node 20 cannot load .ts files).
  ssr: { noExternal: ['@reeltime/schemas', '@reeltime/platform'] },
  server: { port: Number(process.env.WEB_PORT ?? 3000), fs: { allow: ['..'] } },
});
