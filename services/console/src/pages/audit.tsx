import { t } from '../i18n';
import { Session } from '../api';
export function Audit(_props: { session: Session }) {
  return <p>{t("common.forbidden")}</p>;
}
