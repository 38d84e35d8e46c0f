// ESLint (flat config): typescript-eslint with type information, so promises nobody awaits are
// found (the models become async); jsx-a11y and react-hooks for the pages.
import js from "@eslint/js";
import jsxA11y from "eslint-plugin-jsx-a11y";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["build/", "public/build/", "node_modules/", "test-results/", "bench/data/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ["*.js", "*.mjs", "scripts/finish-client-build.mjs", "scripts/test-all.mjs"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { attributes: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true }],
      // Control characters are what some patterns look for: the FTS hit marks, header-breaking bytes.
      "no-control-regex": "off",
    },
  },
  // The models run on SQLite and PostgreSQL alike: no SQLite-only drizzle calls, one way to open a transaction.
  {
    files: ["app/**/*.ts", "app/**/*.tsx", "db/**/*.ts"],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[arguments.length=0] > MemberExpression.callee > Identifier.property[name=/^(get|all|run)$/]",
          message: "SQLite-only: await the query itself (use .limit(1) and take [0] for one row).",
        },
        {
          selector: "CallExpression > MemberExpression.callee > Identifier.property[name='transaction']",
          message: "Open units of work with transaction() from db/client.ts.",
        },
      ],
    },
  },
  // Remix's own type reference file.
  { files: ["**/*.d.ts"], rules: { "@typescript-eslint/triple-slash-reference": "off" } },
  { files: ["**/*.tsx"], ...jsxA11y.flatConfigs.recommended },
  { files: ["**/*.tsx"], plugins: { "react-hooks": reactHooks }, rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" } },
);
