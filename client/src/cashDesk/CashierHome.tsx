import { useSession } from '../auth/session';
import { useI18n } from '../i18n/i18n';
import { RoleHome } from '../shell/RoleHome';

export function CashierHome() {
  const { t } = useI18n();
  const session = useSession();
  const register = session?.cashRegister;
  return (
    <RoleHome
      title={t('role.cashier')}
      intro={t('cashDesk.intro')}
      coming={[t('cashDesk.coming.sale'), t('cashDesk.coming.walkIn'), t('cashDesk.coming.closing')]}
    >
      {register && (
        <section className="card" aria-labelledby="register-title">
          <h2 id="register-title">{t('cashDesk.registerTitle')}</h2>
          <dl className="facts">
            <div>
              <dt>{t('cashDesk.registerName')}</dt>
              <dd>{register.name}</dd>
            </div>
            <div>
              <dt>{t('cashDesk.registerLogin')}</dt>
              <dd>{register.email}</dd>
            </div>
          </dl>
        </section>
      )}
    </RoleHome>
  );
}
