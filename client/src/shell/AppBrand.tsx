/** The MakePlus mark and name (the same artwork as the installed app's icon). */
export function AppBrand({ compact = false }: { compact?: boolean }) {
  return (
    <span className="app-brand">
      <img src="/icons/icon.svg" alt="" width={compact ? 28 : 36} height={compact ? 28 : 36} />
      <span className="app-brand__name">MakePlus</span>
    </span>
  );
}
