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
