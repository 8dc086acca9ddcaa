import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const electronImportBan = {
  paths: [{ name: 'electron', message: "Only electron/main/app/ and electron/preload/ may import 'electron'." }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': ['error', electronImportBan],
    },
  },
  {
    files: ['electron/main/app/**', 'electron/preload/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
