import { t } from '../i18n';
export function Support() {
  return <p>{t("common.notfound")}</p>;
}
