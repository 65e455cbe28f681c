// The one place the Visualize, Dashboards and Alarms pages get their query translator from: the shared
// DQL translator (dashboards-ui/src/query), as the query bar of Discover uses it.

import { queryBarClause } from '../query/search-query.ts';
import type { QueryTranslator } from './specs/aggs-request.ts';

export const translateQuery: QueryTranslator = (q) => queryBarClause({ language: 'kuery', text: q });
