/** `year=YYYY/month=MM/day=DD/hour=HH/` in UTC: the archive layout the Athena table projects. */
export function hourPartition(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return `year=${iso.slice(0, 4)}/month=${iso.slice(5, 7)}/day=${iso.slice(8, 10)}/hour=${iso.slice(11, 13)}/`;
}
