/**
 * TypeBox schemas shared by the API routes: they validate requests, serialise responses and become
 * the OpenAPI document (docs/openapi.json).
 */
import { Type, type Static } from 'typebox';
import { DEVICE_TYPES } from '../../sim-core/cim/types.ts';
import { ROLES, type Role as RoleName } from '../auth/users.ts';
import type { DeviceFeature } from '../db/cities.ts';
import type { CitySummary } from '../../sim-core/cim/summary.ts';
import { JOB_KINDS } from '../jobs/kinds.ts';
import { JOB_STATUSES } from '../jobs/service.ts';

const literals = <const T extends readonly string[]>(values: T) => Type.Enum(values);

export const Role = Type.Unsafe<RoleName>(literals(ROLES));

export const UserSchema = Type.Object({ id: Type.String(), username: Type.String(), role: Role });

/** A device of a scenario: a cim-twin city-file device feature (docs/city-format.md), lon/lat WGS84. */
export const DeviceFeatureSchema = Type.Object(
  {
    type: Type.Literal('Feature'),
    id: Type.String({ minLength: 1, maxLength: 200 }),
    geometry: Type.Object({ type: Type.Literal('Point'), coordinates: Type.Array(Type.Number(), { minItems: 2, maxItems: 3 }) }),
    properties: Type.Object(
      {
        deviceType: literals(DEVICE_TYPES),
        heightM: Type.Optional(Type.Number()),
        headingDeg: Type.Optional(Type.Number()),
        tiltDeg: Type.Optional(Type.Number()),
        healthy: Type.Optional(Type.Boolean()),
        networked: Type.Optional(Type.Boolean()),
      },
      { additionalProperties: true, description: 'device fields of the city file: deviceType, heightM, headingDeg, tiltDeg, healthy, networked, name, and type-specific ones (hfovDeg, resolutionPx, bandGHz, txPowerDbm …)' },
    ),
  },
  { description: 'A device as a GeoJSON Point feature of the cim-twin city file (layer "device").' },
);
export type DeviceFeatureBody = Static<typeof DeviceFeatureSchema>;

/** Most devices one scenario version may hold. */
export const MAX_DEVICES = 100_000;

export const DevicesSchema = Type.Array(DeviceFeatureSchema, { maxItems: MAX_DEVICES });

export const IndicatorValues = Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
  description: 'Indicator values computed for this version by a coverage job (SimulatedIndicatorValues: {id: {value, numerator, denominator, unit, model, computedAt …}}), or null.',
});

export const ScenarioSchema = Type.Object({
  id: Type.String(),
  cityId: Type.String(),
  name: Type.String(),
  version: Type.Integer(),
  latestVersion: Type.Integer(),
  devices: Type.Unsafe<DeviceFeature[]>(DevicesSchema),
  indicators: IndicatorValues,
  message: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const ScenarioInfoSchema = Type.Object({
  id: Type.String(),
  cityId: Type.String(),
  name: Type.String(),
  latestVersion: Type.Integer(),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const VersionInfoSchema = Type.Object({
  version: Type.Integer(),
  deviceCount: Type.Integer(),
  hasIndicators: Type.Boolean(),
  message: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
});

export const CityInfoSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  public: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  summary: Type.Unsafe<CitySummary>({ type: 'object', additionalProperties: true, description: 'summarizeCity of the city (counts of buildings, roads, key areas, devices …)' }),
});

export const JobSchema = Type.Object({
  id: Type.String(),
  kind: literals(JOB_KINDS),
  status: literals(JOB_STATUSES),
  progress: Type.Number({ minimum: 0, maximum: 1 }),
  phase: Type.String(),
  params: Type.Record(Type.String(), Type.Unknown()),
  cityId: Type.Union([Type.String(), Type.Null()]),
  scenarioId: Type.Union([Type.String(), Type.Null()]),
  scenarioVersion: Type.Union([Type.Integer(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const GeoJSONFeatureCollection = Type.Object(
  { type: Type.Literal('FeatureCollection'), features: Type.Array(Type.Unknown()) },
  { additionalProperties: true, description: 'A GeoJSON FeatureCollection (RFC 7946, WGS84 lon/lat).' },
);

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) });
