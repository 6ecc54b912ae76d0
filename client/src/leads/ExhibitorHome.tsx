import { useI18n } from '../i18n/i18n';
import { RoleHome } from '../shell/RoleHome';

export function ExhibitorHome() {
  const { t } = useI18n();
  return (
    <RoleHome
      title={t('role.exhibitor')}
      intro={t('leads.intro')}
      coming={[t('leads.coming.scan'), t('leads.coming.notes'), t('leads.coming.export')]}
    />
  );
}
