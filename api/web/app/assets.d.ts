/** Stylesheets are bundled by esbuild beside the app's script. */
declare module '*.css';
