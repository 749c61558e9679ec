"""Django's own form messages that read awkwardly in Chinese (issue 10, item 18).

Django looks a message up in this project's ``locale/`` before its own catalogue
(``LOCALE_PATHS`` win), so listing a stock message here keeps ``makemessages``
from dropping its entry in ``locale/zh_Hans/LC_MESSAGES/django.po``, where the
project's wording replaces Django's ("输入一个有效的日期。" reads like a
machine; "请输入有效的日期。" is what a clerk expects, and Django's Chinese for
"Null characters are not allowed." says "empty strings").

The messages are the exact English strings of Django 5.2; a test checks that
each one is still a message Django raises and that the project translates it.
"""

from django.utils.translation import gettext_noop

STOCK_MESSAGES = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid date."),
    gettext_noop("Enter a valid time."),
    gettext_noop("Enter a valid date/time."),
    gettext_noop("Enter a whole number."),
    gettext_noop("Enter a number."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("Enter a valid value."),
    gettext_noop("Select a valid choice. %(value)s is not one of the available choices."),
    gettext_noop("Select a valid choice. That choice is not one of the available choices."),
    gettext_noop("The submitted file is empty."),
    gettext_noop("No file was submitted. Check the encoding type on the form."),
    gettext_noop("Ensure this value is less than or equal to %(limit_value)s."),
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("Null characters are not allowed."),
)
