import { activityProjection } from './activity/projection.ts';
import { catalogProjection } from './catalog/projection.ts';
import { importsProjection } from './imports/projection.ts';
import type { Projection } from './model/projection.ts';
import { recommendationsProjection } from './recommendations/projection.ts';

/** Every projection this projector runs. */
export const projections: readonly Projection[] = [
  catalogProjection as Projection,
  activityProjection as Projection,
  recommendationsProjection as Projection,
  importsProjection as Projection,
];
