// Re-exports of the analysis package: analyzers, the per-index registry and the building blocks.

export { AnalysisError, lowerCase, upperCase, type Analyzer, type Normalizer, type Token } from './analyzer.ts';
export { buildAnalysisRegistry, type AnalysisRegistry, type ComponentRef, type CustomSpec } from './registry.ts';
export { builtinAnalyzer, isBuiltinAnalyzer, StandardAnalyzer } from './builtin-analyzers.ts';
export { ChainAnalyzer } from './chain.ts';
export { scanStandard, TOKEN_TYPES } from './standard-tokenizer.ts';
export { ENGLISH_STOP_WORDS } from './english.ts';
export { porterStem } from './english.ts';
export { asciiFold } from './ascii-folding.ts';
