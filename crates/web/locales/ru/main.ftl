# Grassroots: Русский. Every key here exists in every language (a test checks).

nav-dashboard = Обзор
nav-tree = Дерево организаций
nav-members = Члены партии
nav-my-record = Моя карточка
language = Язык
apply = Применить
sign-out = Выйти
footer-tagline = Партийное строительство от ячейки до центра
signin-title = Вход
signin-demo = Демонстрационные учётные записи
signin-button = Войти
signin-failed = Неверное имя пользователя или пароль.
field-username = Имя пользователя
field-password = Пароль
dashboard-title = Обзор вашей организации
orgs-by-kind = Организации по видам
members-by-status = Члены по статусу
alerts = Предупреждения
no-orgs = В вашей части дерева пока нет организаций.
none = Нет
tree-title = Дерево партийных организаций
search = Поиск
tree-search-placeholder = Название или код организации
as-of = На дату
show = Показать
search-results = Результаты поиска
browse = Открыть ветвь
nothing-found = Ничего не найдено.
tree-as-of = Дерево по состоянию на { $date }
up = На уровень выше
tree-empty = На эту дату организаций не было.
tree-truncated = Дерево велико; откройте ветвь, чтобы увидеть больше.
field-kind = Вид
field-founded-on = Дата создания
field-dissolved-on = Дата роспуска
grassroots-orgs = Первичные организации
members-active = Действующие члены
rename = Переименовать
new-child-org = Новая подчинённая организация
new-member = Новый член
children = Подчинённые организации
history = История изменений
from = С
to = По
change = Изменение
field-name = Название
audit = Журнал изменений
parent-org = Вышестоящая организация
field-code = Код
field-effective-on = Дата вступления в силу
field-decision = Решение
decision-hint = Номер решения, например 123-QĐ/TU
save = Сохранить
cancel = Отмена
new-org-title = Новая организация
rename-title = Переименовать { $name }
conflict-prefix = Запись тем временем изменил кто-то другой. Обновите страницу и повторите.
members-title = Список членов партии
member-search-placeholder = Имя (с диакритикой или без), номер удостоверения или билета
field-status = Статус
status-any-active = Все действующие
field-full-name = ФИО
field-birth-date = Дата рождения
field-cell = Ячейка
first-page = Первая страница
next-page = Следующая страница
field-gender = Пол
field-ethnicity = Национальность
field-citizen-id = Номер удостоверения
citizen-id-hint = 12 цифр
field-party-card-no = Номер партбилета
field-admitted-on = Дата вступления
field-official-on = Дата перевода в члены
field-status-since = Статус с
field-joined-on = Дата прихода в ячейку
edit = Изменить
status-history = История статуса
reason = Причина
new-status = Новый статус
record-status = Записать
memberships = Членство в ячейках
membership-kind = Вид
new-member-title = Новый член партии
edit-member-title = Изменить: { $name }
back-home = На главную
membership-official = Постоянное
membership-temporary = Временное
gender-male = Мужской
gender-female = Женский
kind-central = Центральный комитет
kind-provincial = Провинциальный комитет
kind-district = Районный комитет
kind-commune = Комитет общины
kind-grassroots_committee = Первичный комитет
kind-grassroots_cell = Первичная ячейка
kind-cell = Ячейка
kind-party_group = Партгруппа
status-probationary = Кандидат
status-official = Член партии
status-temporarily_exempt = Временно освобождён
status-exempt = Освобождён
status-transferred_out = Выбыл
status-removed = Исключён из списка
status-expelled = Исключён
status-deceased = Умер
role-administrator = Администратор
role-committee_office = Аппарат комитета
role-inspection = Контрольная комиссия
role-propaganda = Пропаганда и обучение
role-mass_mobilization = Работа с массами
role-cell_secretary = Секретарь ячейки
role-member = Член партии
change-created = Создана
change-renamed = Переименована
change-moved = Переподчинена
change-merged = Объединена
change-split = Разделена
change-dissolved = Распущена
error-title-not_found = Не найдено
error-help-not_found = Такой страницы или записи нет, или она вне вашей части дерева.
error-title-forbidden = Нет доступа
error-help-forbidden = Ваша роль этого не позволяет.
error-title-conflict = Конфликт
error-help-conflict = Запрос противоречит сохранённым данным.
error-title-invalid = Неверные данные
error-help-invalid = Проверьте введённые данные.
error-title-bad_csrf = Форма устарела
error-help-bad_csrf = Обновите страницу и отправьте снова.
error-title-unauthenticated = Сначала войдите
error-help-unauthenticated = Ваш сеанс завершён.
error-title-too_many_attempts = Слишком много попыток
error-help-too_many_attempts = Подождите несколько минут и повторите.
error-title-bad_request = Неверный запрос
error-help-bad_request = Не удалось прочитать запрос.
error-title-internal = Что-то пошло не так
error-help-internal = Ошибка записана в журнал. Повторите позже.

## Messages with plural forms (CLDR rules of the language).
members-count =
    { $count ->
        [one] { $count } член партии
        [few] { $count } члена партии
        [many] { $count } членов партии
       *[other] { $count } члена партии
    }
grassroots-orgs-count =
    { $count ->
        [one] { $count } первичная организация
        [few] { $count } первичные организации
        [many] { $count } первичных организаций
       *[other] { $count } первичной организации
    }
alert-small-cell =
    { $count ->
        [one] только { $count } член партии (нужно не меньше { $min })
        [few] только { $count } члена партии (нужно не меньше { $min })
        [many] только { $count } членов партии (нужно не меньше { $min })
       *[other] только { $count } члена партии (нужно не меньше { $min })
    }
signin-too-many =
    { $minutes ->
        [one] Слишком много неудачных попыток. Подождите { $minutes } минуту.
        [few] Слишком много неудачных попыток. Подождите { $minutes } минуты.
       *[many] Слишком много неудачных попыток. Подождите { $minutes } минут.
    }

# Reports
report-title = Отчёт
report-show = Показать отчёт
report-download = Скачать
report-figure = Показатель
report-change = Изменение

# Meetings
meetings-title = Собрания
meetings-figures-title = Показатели и предупреждения по собраниям
meetings-none = Нет собраний
meetings-schedule = Запланировать очередные собрания на год
meetings-year = Год
meetings-day = День месяца
meetings-schedule-button = Запланировать
meetings-schedule-hint = Двенадцать очередных собраний, по одному в месяц, в этот день (по умолчанию — день из правил). Уже запланированный год отклоняется.
meeting-kind-regular = Очередное собрание
meeting-kind-thematic = Тематическое собрание
meeting-kind-extraordinary = Внеочередное собрание
meeting-kind-committee_plenary = Пленум комитета
meeting-status-scheduled = запланировано
meeting-status-held = проведено
meeting-status-cancelled = отменено
meeting-status = Состояние
meeting-code = Код отметки
meeting-code-hint = члены вводят этот код, чтобы отметиться в день собрания
meeting-cancel-reason = Причина отмены
meeting-expected = Ожидается
meeting-attendance = Явка
att-present = присутствовал
att-absent_excused = отсутствовал по уважительной причине
att-absent_unexcused = отсутствовал без причины
meeting-fast-title = Явка
meeting-fast-hint = Все присутствуют; снимите отметку с отсутствующих и укажите причину.
meeting-guest = гость
meeting-checked-in = отметился сам
meeting-absence-kind = Вид отсутствия
meeting-reason = Причина
meeting-nobody = На это собрание никто не ожидается.
meeting-save-attendance = Сохранить явку
meeting-mark = Отметка
meeting-minutes-title = Протокол
meeting-agenda = Повестка
meeting-topic = Тема
meeting-minutes = Протокол
meeting-resolutions = Принятые решения
meeting-resolutions-hint = Одно решение на строку.
meeting-save-minutes = Сохранить протокол
meeting-observers = Наблюдатели и оценки
meeting-evaluation = Оценка
check-in-title = Отметиться на собрании
check-in-done = Вы отметились. Спасибо.
check-in-meeting = Собрание
check-in-button = Отметиться
check-in-none = Сегодня у вашей ячейки нет собрания.
fig-regular = Очередные (месяцев выполнено/требуется)
fig-thematic = Тематические (кварталов выполнено/требуется)
fig-rate = Явка, %
fig-alerts = Предупреждения
fig-attendance = Явка
fig-other = { $extraordinary } внеочередных · { $plenary } пленумов · { $cancelled } отменено · { $scheduled } ещё запланировано
fig-quarters = Тематические собрания по кварталам
fig-quarter = Квартал
fig-thematic-held = Проведено
fig-cells-met = Ячеек выполнило
fig-cells = Ячейки
fig-rule = Правило
fig-on = Дата
fig-who = Кто
fig-evidence = Основание
rule-absent_unexcused = Отсутствие без причины
rule-excused_in_a_row = Слишком много отсутствий по уважительной причине подряд
rule-proposed_removal = Предложение об исключении (ст. 8 Устава)
rule-no_regular_meeting = Нет очередного собрания за месяц
rule-no_thematic_meeting = Нет тематического собрания за квартал
rule-too_few_official_members = Слишком мало полноправных членов
rule-no_cell_committee = Нет комитета ячейки
month-1 = Январь
month-2 = Февраль
month-3 = Март
month-4 = Апрель
month-5 = Май
month-6 = Июнь
month-7 = Июль
month-8 = Август
month-9 = Сентябрь
month-10 = Октябрь
month-11 = Ноябрь
month-12 = Декабрь
# Lifecycle
lc-candidates = Кандидаты
lc-probation = Кандидатский стаж
lc-badges = Значки к вручению
lc-dues = Ежемесячные взносы
lc-show = Показать
lc-as-of = На дату
lc-registered-on = Зарегистрирован
lc-steps = Пройденные этапы
lc-next-step = Следующий этап
lc-due-on = Срок
lc-overdue = Просрочено
lc-step-awareness_class = Курс ознакомления с партией
lc-step-introduction = Рекомендация
lc-step-recommendation = Рекомендация союза
lc-step-cell_vote = Голосование ячейки
lc-step-committee_vote = Голосование комитета
lc-step-decision = Решение о приёме
lc-step-ceremony = Церемония приёма
lc-probation-from = Стаж с
lc-course = Курс для новых членов
lc-course-missing = Курс не пройден
lc-state = Положение
lc-state-running = Кандидатский стаж до
lc-state-review_due = Рассмотрение до
lc-state-review_overdue = Рассмотрение просрочено с
lc-award-day = День вручения
lc-admitted-on = Принят
lc-years = Партийный стаж (лет)
lc-reached-on = Достигнут
lc-month = Месяц
lc-income = Доход
lc-income-salaried = Зарплата
lc-income-pensioner = Пенсия
lc-income-student = Учащийся
lc-exempt = Освобождён
lc-no-income = Доход не указан
lc-due = К уплате (VND)
lc-paid = Уплачено (VND)
lc-owed = Долг (VND)
lc-unpaid-months = Неуплаченных месяцев в году
lc-removal-alert = Предупреждение об исключении из списка
lc-download-xlsx = Скачать Excel
lc-total = Итого
lc-overdue-count =
    { $count ->
        [one] { $count } кандидат с просроченным сроком
        [few] { $count } кандидата с просроченным сроком
        [many] { $count } кандидатов с просроченным сроком
       *[other] { $count } кандидата с просроченным сроком
    }
# Documents and training
documents-title = Документы
documents-none = Документов пока нет.
document-new = Зарегистрировать документ
document-number = Номер
document-number-hint = Оставьте пустым, чтобы взять следующий номер типа в созыве
document-type = Тип
document-issued-on = Дата издания
document-issuer = Издатель
document-title-field = Заголовок
document-summary = Краткое содержание
document-status = Статус
document-parent = Конкретизирует документ (id)
document-concretizes = конкретизирует вышестоящий документ
document-concretize-by = Должны конкретизировать
document-register = Зарегистрировать
document-files = Вложения
doc-status-in_force = Действует
doc-status-superseded = Заменён
doc-status-expired = Истёк
doc-status-revoked = Отозван
cascade-title = Каскад
cascade-organization = Организация
cascade-concretized = Конкретизирован документом
cascade-pending = Ещё не конкретизировали
cascade-not-yet = ещё нет
review-kind-preliminary = Промежуточный итог
review-kind-final = Итоговый обзор
reviews-title = Подведение итогов
tasks-title = Задачи
task-due = Срок
task-done = Выполнено
study-title = Документы для изучения
study-assigned-on = Назначено
study-studied-on = Изучено
study-not-yet = Ещё не изучено
courses-title = Учебные курсы
course-kind-new_member_theory = Политическая теория для новых членов
course-kind-awareness = Знания о партии
course-kind-specialized = Специальный курс
course-kind-thematic_conference = Тематическая конференция для ключевых кадров
course-sessions = Занятия
course-participants = Участники
course-result = Результат
course-score = Балл
course-certificate = Свидетельство
result-pass = Сдал
result-fail = Не сдал
disseminations-title = Конференции и занятия по изучению документов
dissemination-kind-conference = Конференция
dissemination-kind-class = Занятие
held-on = Дата проведения

# Handovers
handover-title = Акт передачи
handover-minutes-no = Номер акта
handover-signed-on = Дата подписания
handover-from = Передающая сторона
handover-to = Принимающая сторона
handover-handed-by = Подписал за передающую сторону
handover-received-by = Подписал за принимающую сторону
handover-orgs = Передано организаций
handover-members = Передано членов
handover-note = Примечание
handover-cell = Ячейка при передаче

# Cards, temporary transfers, dues relief
reg-title = Билеты, временный перевод и льготы по взносам
reg-cards = Партийные билеты
reg-card-no = Номер билета
reg-issued-on = Выдан
reg-state = Состояние
reg-card-state-valid = Действителен
reg-card-state-lost = Утерян
reg-card-state-damaged = Повреждён
reg-card-state-revoked = Изъят
reg-ended-on = Окончание
reg-issue-card = Выдать билет
reg-end-card = Сообщить о билете
reg-stays = Временный перевод
reg-host = Принимающая ячейка
reg-home = Основная ячейка
reg-until = До
reg-training = На учёбу (до 24 месяцев)
reg-start-stay = Начать временный перевод
reg-host-org-id = Принимающая ячейка (id)
reg-return = Отметить возвращение
reg-returned-on = Дата возвращения
reg-reliefs = Освобождение и снижение взносов
reg-months = Месяцы
reg-exemption = Освобождение
reg-exemption-party_age = 50 лет партийного стажа
reg-exemption-poor_household = Бедное домохозяйство
reg-exemption-serious_illness = Тяжёлая болезнь
reg-reduction = Снижение
reg-percent = Процент
reg-document = Решение
reg-grant-relief = Предоставить
reg-away = Члены в отъезде (учитываются здесь)
reg-hosted = Принятые члены (учитываются по месту основного учёта)

# meeting oversight
mo-observer = Наблюдатель
mo-none = Наблюдателей и оценок пока нет.
mo-observer-title = Направить наблюдателя
mo-committee = Вышестоящий комитет
mo-observer-member = Номер члена партии — наблюдателя
mo-observer-hint = Номер указан на странице члена в реестре; ваш уже подставлен.
mo-note = Примечание
mo-observer-button = Назначить наблюдателя
mo-evaluate-title = Оценить качество собрания
mo-level = Качество
mo-level-good = Хорошее
mo-level-fair = Выше среднего
mo-level-average = Среднее
mo-level-weak = Слабое
mo-evaluated-on = Дата оценки
mo-evaluate-button = Сохранить оценку
mo-cancel-title = Отменить собрание
mo-cancel-hint = Отменённое собрание остаётся в календаре вместе с причиной.
mo-cancel-button = Отменить собрание
cc-title = Бюро ячейки
cc-none = Действующего бюро ячейки нет.
cc-secretary = Секретарь
cc-deputy = Заместитель секретаря
cc-elected-on = Дата избрания
cc-decision = Решение
cc-elect-title = Записать итоги выборов
cc-elect-hint = Прежнее бюро слагает полномочия в день выборов.
cc-elect-button = Сохранить бюро
cc-no-deputy = (нет)
# classification
review-title = Ежегодная оценка и классификация
review-link = Оценка и классификация
review-members = Члены партии
review-orgs = Подчинённые организации
review-level = Уровень
review-level-excellent = Отлично выполнил задачи
review-level-good = Хорошо выполнил задачи
review-level-completed = Выполнил задачи
review-level-not_completed = Не выполнил задачи
review-points = Баллы (из 100)
review-points-unit = баллов
review-decided-on = Дата решения
review-note = Примечание
review-save = Сохранить
review-record = Классифицировать
review-correct = Исправить классификацию
review-corrected = исправлено
review-not-yet = Ещё не классифицирован
review-good-or-better = Хорошо и выше
review-rule-quota = «Отлично» — не более установленной доли от «хорошо» в каждой первичной организации
review-rule-points = Классификация по 100-балльной шкале: отлично от 90, хорошо от 70, выполнил от 50
