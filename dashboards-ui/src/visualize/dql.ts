// The one place the Visualize, Dashboards and Alarms pages get their query translator from.
// Until the shared DQL translator is available this is Lucene syntax through query_string.

import { queryStringTranslator } from './specs/aggs-request.ts';
import type { QueryTranslator } from './specs/aggs-request.ts';

export const translateQuery: QueryTranslator = queryStringTranslator;
