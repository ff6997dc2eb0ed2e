/**
 * A default hour-of-week contact profile for a hotline still being designed, before it has its
 * own history. It is an assumption, stated so that people can argue with it: most contacts
 * arrive 10:00–18:00 on weekdays, evenings stay busy (people reach out after work or when an
 * exploiter is away), nights fall to about a quarter of the peak but never to zero, and weekends
 * run at about 85 % of weekdays. Replace it with the hotline's own pattern once there is data.
 *
 * 168 relative weights, Monday 00:00–01:00 first. Only the shape matters: the calculator
 * normalises the weights to sum to one.
 */
const HOURLY_SHAPE: readonly number[] = [
  // 00   01   02   03   04   05   06   07   08   09   10   11
  0.45, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 1.0, 1.3, 1.55, 1.65,
  // 12   13   14   15   16   17   18   19   20   21   22   23
  1.6, 1.6, 1.65, 1.65, 1.6, 1.5, 1.35, 1.25, 1.15, 1.0, 0.8, 0.6,
];

/** Monday to Sunday. */
const DAY_FACTORS: readonly number[] = [1.1, 1.05, 1.05, 1.05, 1.0, 0.85, 0.85];

export const DEFAULT_HOUR_OF_WEEK_PROFILE: readonly number[] = DAY_FACTORS.flatMap((day) => HOURLY_SHAPE.map((hour) => day * hour));
