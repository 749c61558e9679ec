from django.contrib.auth import views as auth_views

from sanbao.accounts import views
from sanbao.core.routes import routes

urlpatterns = routes(
    {
        "login/": (auth_views.LoginView.as_view(redirect_authenticated_user=True), "login"),
        "logout/": (auth_views.LogoutView.as_view(), "logout"),
        "language/": views.set_language,
        "preferences/": views.preferences,
        "tokens/": views.token_list,
        "tokens/<int:pk>/revoke/": views.token_revoke,
        "organisations/": views.organisation_list,
        "organisations/export.xlsx": (views.organisation_list_xlsx, "organisation_list_xlsx"),
        "legal-holds/": views.legal_hold_list,
        "legal-holds/export.xlsx": (views.legal_hold_list_xlsx, "legal_hold_list_xlsx"),
        "legal-holds/<int:pk>/release/": views.legal_hold_release,
    }
)

app_name = "accounts"
