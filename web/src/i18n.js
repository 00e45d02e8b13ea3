// The page's words in English and Russian; the choice is kept in localStorage.
const en = {
  title: "SDAP — secured digital assets", skip: "Skip to content", language: "Language", loading: "Loading…",
  "nav.register": "State register", "nav.account": "My account", "nav.api": "API",
  issuances: "Issuances", issuance: "Issuance", issuers: "Issuers", operators: "Operators and their permits",
  assetTypes: "Asset types", notice: "Risk notice in force", id: "Id", name: "Name", category: "Category",
  listed: "Listed", yes: "yes", no: "no", issuer: "Issuer", operator: "Operator", assetType: "Asset type",
  supply: "Supply", pendingRedemption: "Awaiting redemption (in custody)", maxSupply: "Supply cap", coverage: "Collateral coverage", status: "Status",
  legalName: "Legal name", businessId: "Business id", jurisdiction: "Jurisdiction", permit: "Permit",
  validFrom: "Valid from", validUntil: "Valid until", unit: "Unit", decision: "Decision to issue",
  decisionHash: "Anchored hash (sha256)", decisionCheck: "Published copy", evidenceHash: "Evidence hash",
  covered: "{covered} units covered, {supply} issued", coveredUntil: "until {date}", under: "under-collateralised",
  fullyCovered: "covered", paused: "paused", pausedByRegulator: "paused by the regulator", closed: "closed", open: "open",
  "check.ok": "matches the anchored hash", "check.changed": "changed since it was anchored",
  "check.unavailable": "not available", "check.unchecked": "not checked yet", checkedAt: "checked {date}",
  version: "Version", publishedAt: "Published", noticeHash: "Text hash", textVerified: "text matches its hash",
  holders: "Holders", holder: "Holder", balance: "Balance", details: "details", attestations: "Attestations",
  connect: "Connect a wallet", connectWith: "Connect with {name}", noWallet:
    "No browser wallet found. Install an EIP-1193 wallet (MetaMask or another) and reload this page.",
  connected: "Connected: {address}", wrongChain: "Your wallet is on chain {have}; this platform is chain {want}.",
  switchChain: "Switch the wallet to chain {want}", signIn: "Sign in with Ethereum", signOut: "Sign out",
  signedIn: "Signed in until {date}.", disconnect: "Disconnect",
  identification: "Identification", "status.eligible": "Identified: you may receive and send units.",
  "status.not_registered": "Not identified. An operator must identify you (KYC) before you can receive units.",
  "status.frozen": "Your account is frozen by a compliance officer: units can neither leave nor reach it.",
  "status.identity_expired": "Your identification has expired: ask your operator to renew it.",
  "status.notice_not_acknowledged": "You have not acknowledged the risk notice in force: read it below and sign.",
  acknowledge: "I have read the notice: acknowledge by signature", acknowledged: "You acknowledged version {version}.",
  mustAcknowledge: "You acknowledged version {have}; version {want} is in force.",
  balances: "Balances", free: "Free", encumbered: "Encumbered", frozen: "Frozen", total: "Total", none: "None.",
  transfer: "Transfer units", to: "Recipient address", amount: "Units", check: "Check the transfer",
  sendWallet: "Send from my wallet (I pay gas)", sendGasless: "Send without gas (the operator relays)",
  checkOk: "The chain would accept this transfer.", pending: "Pending: transaction {tx} sent, waiting for its block.",
  signing: "Waiting for your wallet's signature…", relaying: "Pending: the operator is sending your signed transfer; waiting for its block…", confirmed: "Confirmed in block {block}, transaction {tx}.",
  movements: "Movements", block: "Block", tx: "Transaction", time: "Time", kind: "Kind", direction: "Direction",
  from: "From", "kind.mint": "issued", "kind.transfer": "transfer", "kind.burn": "burnt", in: "in", out: "out",
  "kind.redemption": "redemption asked", "kind.redemption_refused": "redemption refused, units returned",
  redemption: "Redeem units", redemptionHow:
    "Ask the issuer to deliver what your units certify. The units wait in the platform's custody until the issuer confirms delivery (they are then redeemed) or refuses (they come back to you).",
  redeemAmount: "Units to redeem", deliveryRef: "Delivery reference (where and how to deliver)",
  redeemAsk: "Ask the issuer to redeem (the operator relays)", redeemAsked: "Asked: redemption request No. {id}.",
  relayingRedemption: "Pending: the operator is sending your signed request; waiting for its block…",
  "redemption.requested": "awaiting the issuer", "redemption.confirmed": "delivered and redeemed",
  "redemption.refused": "refused, units returned",
  encumbrances: "Encumbrances on my units", beneficiary: "Beneficiary", expiry: "Expires", reference: "Reference",
  never: "never", copy: "Copy", copied: "Copied", refused: "Refused", error: "Error", unknownProblem:
    "The request failed ({status}).", network: "The gateway cannot be reached: {detail}", userRejected:
    "You declined the request in your wallet.", walletError: "The wallet refused: {detail}",
  signInFirst: "Connect a wallet and sign in to see your account.", pendingList: "Pending",
  notFound: "Nothing here.", readNotice: "Read the notice (version {version}) where it is published",
  "participant.eligible": "{account} is eligible.", "participant.not_registered": "{account} is not an identified participant.",
  "participant.frozen": "{account} is frozen by a compliance officer.", "participant.identity_expired": "The identification of {account} has expired.",
  "participant.notice_not_acknowledged": "{account} has not acknowledged the risk notice in force.",
};
const ru = {
  title: "SDAP — обеспеченные цифровые активы", skip: "К содержимому", language: "Язык", loading: "Загрузка…",
  "nav.register": "Государственный реестр", "nav.account": "Мой счёт", "nav.api": "API",
  issuances: "Выпуски", issuance: "Выпуск", issuers: "Эмитенты", operators: "Операторы и их лицензии",
  assetTypes: "Виды активов", notice: "Действующее уведомление о рисках", id: "№", name: "Название", category: "Категория",
  listed: "В перечне", yes: "да", no: "нет", issuer: "Эмитент", operator: "Оператор", assetType: "Вид актива",
  supply: "В обращении", pendingRedemption: "Ожидает погашения (на хранении)", maxSupply: "Предельный объём", coverage: "Обеспечение", status: "Статус",
  legalName: "Наименование", businessId: "БИН", jurisdiction: "Юрисдикция", permit: "Лицензия",
  validFrom: "Действует с", validUntil: "Действует до", unit: "Единица", decision: "Решение о выпуске",
  decisionHash: "Закреплённый хеш (sha256)", decisionCheck: "Опубликованная копия", evidenceHash: "Хеш подтверждающих документов",
  covered: "обеспечено {covered} ед., выпущено {supply}", coveredUntil: "до {date}", under: "обеспечения недостаточно",
  fullyCovered: "обеспечено", paused: "приостановлен", pausedByRegulator: "приостановлен регулятором", closed: "закрыт", open: "открыт",
  "check.ok": "совпадает с закреплённым хешем", "check.changed": "изменена после закрепления",
  "check.unavailable": "недоступна", "check.unchecked": "ещё не проверялась", checkedAt: "проверено {date}",
  version: "Версия", publishedAt: "Опубликовано", noticeHash: "Хеш текста", textVerified: "текст совпадает с хешем",
  holders: "Владельцы", holder: "Владелец", balance: "Остаток", details: "подробнее", attestations: "Заключения об обеспечении",
  connect: "Подключить кошелёк", connectWith: "Подключить {name}", noWallet:
    "Кошелёк в браузере не найден. Установите кошелёк EIP-1193 (MetaMask или другой) и обновите страницу.",
  connected: "Подключён: {address}", wrongChain: "Кошелёк подключён к сети {have}; платформа работает в сети {want}.",
  switchChain: "Переключить кошелёк на сеть {want}", signIn: "Войти через Ethereum", signOut: "Выйти",
  signedIn: "Вход выполнен до {date}.", disconnect: "Отключить",
  identification: "Идентификация", "status.eligible": "Идентифицирован: можно получать и отправлять единицы.",
  "status.not_registered": "Не идентифицирован. Оператор должен провести идентификацию (KYC), прежде чем вы сможете получать единицы.",
  "status.frozen": "Счёт заморожен сотрудником по соблюдению требований: единицы не списываются и не зачисляются.",
  "status.identity_expired": "Срок идентификации истёк: обратитесь к оператору.",
  "status.notice_not_acknowledged": "Вы не подтвердили действующее уведомление о рисках: прочтите его ниже и подпишите.",
  acknowledge: "Я прочитал уведомление: подтвердить подписью", acknowledged: "Вы подтвердили версию {version}.",
  mustAcknowledge: "Вы подтвердили версию {have}; действует версия {want}.",
  balances: "Остатки", free: "Свободно", encumbered: "Обременено", frozen: "Заморожено", total: "Всего", none: "Нет.",
  transfer: "Перевод единиц", to: "Адрес получателя", amount: "Единиц", check: "Проверить перевод",
  sendWallet: "Отправить из кошелька (газ плачу я)", sendGasless: "Отправить без газа (через оператора)",
  checkOk: "Сеть примет этот перевод.", pending: "Ожидает: транзакция {tx} отправлена, ждём блок.",
  signing: "Ожидаем подпись в кошельке…", relaying: "Ожидает: оператор отправляет подписанный перевод; ждём блок…", confirmed: "Подтверждено в блоке {block}, транзакция {tx}.",
  movements: "Движения", block: "Блок", tx: "Транзакция", time: "Время", kind: "Вид", direction: "Направление",
  from: "От", "kind.mint": "выпуск", "kind.transfer": "перевод", "kind.burn": "списание", in: "приход", out: "расход",
  "kind.redemption": "заявка на погашение", "kind.redemption_refused": "в погашении отказано, единицы возвращены",
  redemption: "Погашение единиц", redemptionHow:
    "Попросите эмитента предоставить то, что удостоверяют ваши единицы. Единицы ждут на хранении платформы, пока эмитент не подтвердит исполнение (тогда они погашаются) или не откажет (тогда они возвращаются вам).",
  redeemAmount: "Единиц к погашению", deliveryRef: "Реквизиты исполнения (куда и как предоставить)",
  redeemAsk: "Подать заявку эмитенту (оператор передаёт её в сеть)", redeemAsked: "Заявка на погашение № {id} подана.",
  relayingRedemption: "Ожидает: оператор отправляет подписанную заявку; ждём блок…",
  "redemption.requested": "ждёт ответа эмитента", "redemption.confirmed": "исполнена и погашена",
  "redemption.refused": "отказано, единицы возвращены",
  encumbrances: "Обременения моих единиц", beneficiary: "Выгодоприобретатель", expiry: "Истекает", reference: "Основание",
  never: "бессрочно", copy: "Копировать", copied: "Скопировано", refused: "Отказ", error: "Ошибка", unknownProblem:
    "Запрос не выполнен ({status}).", network: "Шлюз недоступен: {detail}", userRejected:
    "Вы отклонили запрос в кошельке.", walletError: "Кошелёк отказал: {detail}",
  signInFirst: "Подключите кошелёк и войдите, чтобы увидеть свой счёт.", pendingList: "Ожидают",
  notFound: "Здесь ничего нет.", readNotice: "Прочитать уведомление (версия {version}) там, где оно опубликовано",
  "participant.eligible": "{account} может участвовать.", "participant.not_registered": "{account} не идентифицирован.",
  "participant.frozen": "{account} заморожен сотрудником по соблюдению требований.", "participant.identity_expired": "Срок идентификации {account} истёк.",
  "participant.notice_not_acknowledged": "{account} не подтвердил действующее уведомление о рисках.",
};
const dictionaries = { en, ru };

// The refusals a holder meets most, in Russian; any other keeps the gateway's English title.
const ruProblems = {
  issuance_not_found: "Такого выпуска нет", issuance_closed: "Выпуск закрыт", issuance_paused: "Выпуск приостановлен",
  permit_not_active: "Лицензия оператора не действует", permit_not_yet_valid: "Лицензия оператора ещё не вступила в силу",
  permit_expired: "Срок лицензии оператора истёк", permit_suspended: "Лицензия оператора приостановлена",
  permit_revoked: "Лицензия оператора отозвана", sender_not_registered: "Отправитель не идентифицирован",
  sender_frozen: "Счёт отправителя заморожен", sender_identity_expired: "Срок идентификации отправителя истёк",
  sender_notice_not_acknowledged: "Отправитель не подтвердил уведомление о рисках",
  recipient_not_registered: "Получатель не идентифицирован", recipient_frozen: "Счёт получателя заморожен",
  recipient_identity_expired: "Срок идентификации получателя истёк",
  recipient_notice_not_acknowledged: "Получатель не подтвердил уведомление о рисках",
  undercollateralised: "Обеспечения выпуска недостаточно", insufficient_balance: "У отправителя недостаточно единиц",
  units_restricted: "Единицы обременены или заморожены", invalid_signature: "Подпись не принадлежит вызывающему",
  gas_budget_exceeded: "Лимит газа для переводов через оператора исчерпан", unauthenticated: "Требуется вход",
  sign_in_failed: "Вход отклонён", rate_limited: "Слишком много запросов: повторите позже",
  secured_asset_participant_not_eligible: "Участник не может получать или отправлять единицы",
};

/** A problem's title in the page's language, where it is translated. */
export const problemTitle = (code, title) => (lang === "ru" && ruProblems[code]) || title;


export let lang = localStorage.getItem("sdap.lang") || (navigator.language.startsWith("ru") ? "ru" : "en");

export function setLang(value) {
  lang = value in dictionaries ? value : "en";
  localStorage.setItem("sdap.lang", lang);
  document.documentElement.lang = lang;
}

export function t(key, vars = {}) {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in vars ? String(vars[name]) : `{${name}}`));
}

export function translateStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  document.title = t("title");
}
