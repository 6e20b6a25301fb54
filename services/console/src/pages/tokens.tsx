import { t } from '../i18n';
export function Tokens() {
  return <p>{t("common.notfound")}</p>;
}
