// The expression language's public surface (bucket_script, bucket_selector, alarm conditions).

export { compileExpression, ExpressionError, type Expression } from './expression.ts';
