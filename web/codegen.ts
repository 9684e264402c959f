// Typed documents for the app, generated from the public contract only: the committed SDL and
// the named operations of graphql/operations/ (the same files the server pre-registers).
// `npm run check` runs this and then tsc, so the build fails when an operation no longer fits
// the schema or a screen no longer fits an operation's result.
import type { CodegenConfig } from '@graphql-codegen/cli';

const config: CodegenConfig = {
  schema: '../graphql/schema.graphql',
  documents: ['../graphql/operations/**/*.graphql'],
  ignoreNoDocuments: false,
  generates: {
    './src/gql/': {
      preset: 'client',
      presetConfig: {
        // persisted-documents.json ({hash: document}) for the server's allow-list; the
        // SHA-256 of the printed document, as issue 16's server side expects.
        persistedDocuments: { hashAlgorithm: 'sha256' },
        fragmentMasking: false,
      },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        strictScalars: true,
        scalars: { Date: 'string', DateTime: 'string', JSON: 'unknown', Decimal: 'string' },
      },
    },
    './src/gql/keyless.ts': { plugins: ['./codegen/keyless.cjs'] },
  },
};

export default config;
