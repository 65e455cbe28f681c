// The query bar: one line of DQL or Lucene, submitted with Enter, with the language toggle and the
// error of the last submit shown inline under it (DQL errors point at the offending character).

import { useEffect, useState, type ReactNode } from 'react';
import type { QueryInput } from '../query/search-query.ts';

export function QueryBar(props: { query: QueryInput; onSubmit: (q: QueryInput) => void; error?: string; children?: ReactNode; placeholder?: string }) {
  const [text, setText] = useState(props.query.text);
  useEffect(() => setText(props.query.text), [props.query.text]);
  const lang = props.query.language;
  return (
    <>
      <div className="query-bar">
        <div className={`query-input-wrap ${props.error ? 'invalid' : ''}`}>
          <input
            data-testid="query-input"
            value={text}
            placeholder={props.placeholder ?? (lang === 'kuery' ? 'Search with DQL, e.g. status >= 500 and host:web-*' : 'Search with Lucene, e.g. status:[500 TO 599] AND host:web*')}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => e.key === 'Enter' && props.onSubmit({ language: lang, text })}
            spellCheck={false}
          />
          <button
            className="lang-toggle"
            title="Switch query language"
            data-testid="query-language"
            onClick={() => props.onSubmit({ language: lang === 'kuery' ? 'lucene' : 'kuery', text })}
          >
            {lang === 'kuery' ? 'DQL' : 'Lucene'}
          </button>
        </div>
        {props.children}
      </div>
      {props.error && (
        <div className="query-error" role="alert" data-testid="query-error">
          {props.error}
        </div>
      )}
    </>
  );
}
