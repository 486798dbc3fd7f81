from django.urls import path

from . import views

urlpatterns = [
    path("activities/state", views.state, name="xapi_state"),
    path("activities/profile", views.activity_profile, name="xapi_activity_profile"),
    path("agents/profile", views.agent_profile, name="xapi_agent_profile"),
    path("agents", views.agents, name="xapi_agents"),
]
