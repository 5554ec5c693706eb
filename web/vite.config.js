import { defineConfig } from 'vite';
import vue from '@vitejs/plugin-vue';

// The C server serves web/dist at / and the API at /api/v1 on the same origin.
// In development, `npm run dev` proxies /api to a server started on port 8080.
export default defineConfig({
  plugins: [vue()],
  base: '/',
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      output: {
        manualChunks(id) {
          if (id.includes('node_modules/element-plus') || id.includes('node_modules/@element-plus')) return 'element-plus';
          if (id.includes('node_modules')) return 'vendor';
        },
      },
    },
  },
});
