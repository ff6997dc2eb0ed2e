import { createTheme, type CSSVariablesResolver } from '@mantine/core';

// Shade 8 of blue on white is 4.9:1, shade 6 (Mantine's default) only 3.6:1: white text on filled
// buttons and links must meet WCAG AA (4.5:1) for people reading in poor light or with low vision.
export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 8 },
  autoContrast: true,
  fontFamily:
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif',
  defaultRadius: 'sm',
  focusRing: 'auto',
  components: {
    Anchor: { defaultProps: { underline: 'always' } },
  },
});

// Mantine's "dimmed" grey (gray.6) is 3.3:1 on white; gray.7 is 7:1. Its error red (red.6) is 3.3:1; red.9 is 5.6:1.
// Text on "light" badges and alerts sits on a tinted background, where even shade 9 of green, orange or
// yellow falls under 4.5:1; darkening it by a third keeps the hue and passes AA.
const LIGHT_VARIANT_COLORS = ['blue', 'green', 'orange', 'yellow', 'red', 'gray', 'teal', 'grape'];
const darkerLightText = Object.fromEntries(
  LIGHT_VARIANT_COLORS.map((color) => [
    `--mantine-color-${color}-light-color`,
    `color-mix(in srgb, var(--mantine-color-${color}-9), black 35%)`,
  ]),
);

export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    ...darkerLightText,
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-7)',
    '--mantine-color-anchor': 'var(--mantine-color-blue-8)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
  },
  dark: {},
});
