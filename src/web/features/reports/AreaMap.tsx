import 'leaflet/dist/leaflet.css';
import './areaMap.css';
import { Box, Paper, Text, Title } from '@mantine/core';
import L from 'leaflet';
import { useEffect, useId, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Breakdown } from '../../../shared/metrics/definitions.js';
import { escapeHtml, loadOutlines } from '../directory/DirectoryMap.js';
import { areaBubbles } from './charts.js';
import type { Area } from './ReportsPage.js';

/**
 * Contacts by admin area on a tile-free map (Natural Earth outlines, as the directory map): a circle per area at the
 * area's configured point. The same figures are in the by-area chart beside it, with its table view and CSV.
 */
export function AreaMap({ byArea, areas, label, testId }: { byArea: Breakdown; areas: Area[]; label: (key: string) => string; testId?: string }) {
  const { t } = useTranslation();
  const headingId = useId();
  const element = useRef<HTMLDivElement>(null);
  const { bubbles, unplaced } = useMemo(() => areaBubbles(byArea, areas, label), [byArea, areas, label]);
  useEffect(() => {
    if (!element.current || bubbles.length === 0) return;
    const map = L.map(element.current, { zoomSnap: 0.25, attributionControl: false, keyboard: true, maxZoom: 10 });
    map.fitBounds(L.latLngBounds(bubbles.map((b) => [b.lat, b.lon] as [number, number])).pad(0.3), { maxZoom: 6 });
    let cancelled = false;
    void loadOutlines().then((geo) => {
      if (cancelled) return;
      L.geoJSON(geo, { interactive: false, style: { color: '#5c6b7a', weight: 1, fillColor: '#e9eef2', fillOpacity: 1 } }).addTo(map).bringToBack();
    });
    for (const b of [...bubbles].sort((x, y) => y.radius - x.radius)) {
      L.circleMarker([b.lat, b.lon], { radius: b.radius, color: '#1c4f8a', weight: 2, fillColor: '#1c4f8a', fillOpacity: b.hidden ? 0 : 0.45, interactive: false }).addTo(map);
      L.marker([b.lat, b.lon], { interactive: false, keyboard: false, icon: L.divIcon({ className: 'area-map-label', html: `<span data-area="${escapeHtml(b.code)}">${escapeHtml(b.name)}: ${escapeHtml(b.label)}</span>`, iconSize: undefined }) }).addTo(map);
    }
    return () => {
      cancelled = true;
      map.remove();
    };
  }, [bubbles]);
  const summary = bubbles.map((b) => `${b.name}: ${b.label}`).join(', ');
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby={headingId} data-testid={testId}>
      <Title order={3} size="h5" id={headingId} mb="xs">{t('reports.areaMap.title')}</Title>
      {bubbles.length === 0 ? (
        <Text size="sm" c="dark.6">{t('reports.areaMap.none')}</Text>
      ) : (
        <Box ref={element} className="area-map" role="img" aria-label={t('reports.areaMap.label', { summary })} />
      )}
      <Text size="xs" c="dark.6" mt="xs">
        {t('reports.areaMap.note')}
        {unplaced.length ? ` ${t('reports.areaMap.unplaced', { areas: unplaced.join(', ') })}` : ''}
      </Text>
    </Paper>
  );
}
