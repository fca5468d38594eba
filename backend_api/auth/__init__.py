"""Users, sessions and tokens: the security policy and the auth endpoints."""


def includeme(config):
    config.include(".policy")
    config.include(".views")
    config.include(".cookie_views")
    config.include(".admin_views")
