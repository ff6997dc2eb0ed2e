import 'leaflet/dist/leaflet.css';
import './directoryMap.css';
import { Anchor, Box, Group, SegmentedControl, Stack, Table, Text } from '@mantine/core';
import L from 'leaflet';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useMapSettings, type DirectoryMatch } from './directoryApi.js';

/** One point on the map: a place of a matching service, numbered by the service's rank in the results. */
interface MapPoint { rank: number; match: DirectoryMatch; name: string | null; lat: number; lon: number }

export function mapPoints(items: DirectoryMatch[]): MapPoint[] {
  return items.flatMap((match, index) => (match.places ?? []).map((p) => ({ rank: index + 1, match, name: p.name, lat: p.lat, lon: p.lon })));
}

/**
 * Admin-area labels for the tile-free map: each service area named in the results, placed at the middle of the
 * points of the services that cover it (the directory has area codes, not their shapes).
 */
export function areaLabels(points: MapPoint[]): { area: string; lat: number; lon: number }[] {
  const byArea = new Map<string, MapPoint[]>();
  for (const p of points) for (const area of p.match.areas ?? []) (byArea.get(area) ?? byArea.set(area, []).get(area)!).push(p);
  return [...byArea].map(([area, list]) => ({ area, lat: list.reduce((s, p) => s + p.lat, 0) / list.length, lon: list.reduce((s, p) => s + p.lon, 0) / list.length }));
}

// Country outlines (Natural Earth via world-atlas, public domain), loaded with the map so the app works offline.
let outlines: Promise<GeoJSON.FeatureCollection> | null = null;
export function loadOutlines() {
  outlines ??= Promise.all([import('world-atlas/countries-50m.json'), import('topojson-client')]).then(([atlas, topojson]) => {
    const topology = ((atlas as { default?: unknown }).default ?? atlas) as Parameters<typeof topojson.feature>[0];
    return topojson.feature(topology, (topology as unknown as { objects: { countries: Parameters<typeof topojson.feature>[1] } }).objects.countries) as unknown as GeoJSON.FeatureCollection;
  });
  return outlines;
}

export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * The matching services on a map (Leaflet). Tiles only when the hotline's server has a tile URL; otherwise, and under
 * the tiles while they load or when the network is gone, country outlines and area labels on a plain background.
 * Each marker is a button in the tab order (Enter opens it), numbered like the results; "List" shows the same places
 * as a table.
 */
export function DirectoryMap({ items }: { items: DirectoryMatch[] }) {
  const { t } = useTranslation();
  const settings = useMapSettings();
  const points = useMemo(() => mapPoints(items), [items]);
  const [view, setView] = useState<'map' | 'list'>('map');
  const missing = items.filter((m) => !(m.places ?? []).length).length;
  return (
    <Stack gap="xs" component="section" aria-labelledby="directory-map-title">
      <Group justify="space-between">
        <Text id="directory-map-title" fw={600}>{t('directory.map.title')}</Text>
        <SegmentedControl size="xs" value={view} onChange={(v) => setView(v as 'map' | 'list')} data={[{ value: 'map', label: t('directory.map.showMap') }, { value: 'list', label: t('directory.map.showList') }]} aria-label={t('directory.map.view')} />
      </Group>
      {view === 'map' ? (
        points.length === 0 ? <Text size="sm" c="dimmed">{t('directory.map.noPlaces')}</Text> : settings.isPending ? null : <LeafletMap points={points} tileUrl={settings.data?.tileUrl ?? null} attribution={settings.data?.attribution ?? null} />
      ) : (
        <PlacesTable points={points} />
      )}
      <Text size="xs" c="dimmed" data-testid="map-mode">
        {settings.data?.tileUrl ? t('directory.map.withTiles') : t('directory.map.tileFree')}
        {missing ? ` ${t('directory.map.missing', { count: missing })}` : ''}
      </Text>
    </Stack>
  );
}

function LeafletMap({ points, tileUrl, attribution }: { points: MapPoint[]; tileUrl: string | null; attribution: string | null }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const element = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!element.current) return;
    const map = L.map(element.current, { zoomSnap: 0.25, attributionControl: !!tileUrl, keyboard: true, worldCopyJump: false, maxZoom: 18 });
    map.getContainer().setAttribute('aria-label', t('directory.map.label', { count: points.length }));
    const bounds = L.latLngBounds(points.map((p) => [p.lat, p.lon] as [number, number]));
    map.fitBounds(bounds.pad(0.25), { maxZoom: 11 });
    let cancelled = false;
    // The tile-free base: outlines under everything, so an offline map (or a failed tile) still shows where things are.
    void loadOutlines().then((geo) => {
      if (cancelled) return;
      L.geoJSON(geo, { interactive: false, style: { color: '#5c6b7a', weight: 1, fillColor: '#e9eef2', fillOpacity: 1 } }).addTo(map).bringToBack();
    });
    if (tileUrl) L.tileLayer(tileUrl, { attribution: attribution ? escapeHtml(attribution) : undefined, maxZoom: 18, crossOrigin: true }).addTo(map);
    for (const area of areaLabels(points)) {
      L.marker([area.lat, area.lon], { interactive: false, keyboard: false, icon: L.divIcon({ className: 'directory-map-area', html: `<span>${escapeHtml(area.area)}</span>`, iconSize: undefined }) }).addTo(map);
    }
    for (const p of points) {
      const label = `${p.rank}. ${p.match.serviceName} — ${p.match.organizationName}${p.name ? ` (${p.name})` : ''}`;
      const marker = L.marker([p.lat, p.lon], {
        keyboard: true, title: label, alt: label, riseOnHover: true,
        icon: L.divIcon({ className: 'directory-map-marker', html: `<span>${p.rank}</span>`, iconSize: [28, 28], iconAnchor: [14, 14], popupAnchor: [0, -14] }),
      }).addTo(map);
      marker.getElement()?.setAttribute('aria-label', label);
      marker.getElement()?.setAttribute('data-service-id', p.match.serviceId);
      const popup = document.createElement('div');
      popup.innerHTML = `<strong>${escapeHtml(`${p.rank}. ${p.match.serviceName}`)}</strong><br>${p.name ? `${escapeHtml(p.name)}<br>` : ''}`;
      const profile = document.createElement('a');
      profile.href = `/directory/partners/${p.match.organizationId}`;
      profile.textContent = t('directory.map.profile', { name: p.match.organizationName });
      profile.addEventListener('click', (event) => { event.preventDefault(); navigate(`/directory/partners/${p.match.organizationId}`); });
      popup.append(profile);
      marker.bindPopup(popup);
      // Leaflet opens a marker on click; the keyboard's Enter on the focused marker is a click too.
      marker.on('popupopen', () => profile.focus());
    }
    return () => {
      cancelled = true;
      map.remove();
    };
  }, [points, tileUrl, attribution, t, navigate]);
  return <Box ref={element} className="directory-map" data-testid="directory-map" role="region" />;
}

function PlacesTable({ points }: { points: MapPoint[] }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table data-testid="map-list">
        <Table.Caption className="visually-hidden">{t('directory.map.listCaption')}</Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">{t('directory.col.service')}</Table.Th>
            <Table.Th scope="col">{t('directory.map.place')}</Table.Th>
            <Table.Th scope="col">{t('directory.map.areas')}</Table.Th>
            <Table.Th scope="col">{t('directory.map.coordinates')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {points.map((p, i) => (
            <Table.Tr key={`${p.match.serviceId}-${i}`}>
              <Table.Td>{p.rank}</Table.Td>
              <Table.Th scope="row" fw={400}>
                <Text fw={600} size="sm">{p.match.serviceName}</Text>
                <Anchor component={Link} to={`/directory/partners/${p.match.organizationId}`} size="sm">{p.match.organizationName}</Anchor>
              </Table.Th>
              <Table.Td>{p.name ?? '—'}{p.match.distanceKm !== null ? ` · ${t('directory.reason.distance', { km: p.match.distanceKm })}` : ''}</Table.Td>
              <Table.Td>{(p.match.areas ?? []).join(', ') || '—'}</Table.Td>
              <Table.Td>{p.lat.toFixed(3)}, {p.lon.toFixed(3)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
