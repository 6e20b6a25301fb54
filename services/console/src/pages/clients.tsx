import { t } from '../i18n';
export function Clients(_props: { path: string }) {
  return <p>{t("common.notfound")}</p>;
}
