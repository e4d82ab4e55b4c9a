"""Releases in the admin: listed read-only; Editors make one from the list's button."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path

from aid.releases.making import make_release
from aid.releases.models import Release


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    list_display = ["id", "created_at", "note", "created_by", "package_sha256"]
    readonly_fields = [field.name for field in Release._meta.fields]
    change_list_template = "aid/admin/release_change_list.html"

    def has_add_permission(self, request):
        return False  # made by "Make a release", never typed in

    def has_change_permission(self, request, obj=None):
        return False  # a release never changes

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [path("make/", self.admin_site.admin_view(self.make), name="aid_release_make"), *super().get_urls()]

    def make(self, request):
        if request.method != "POST" or not request.user.has_perm("aid.make_release"):
            messages.error(request, "Only Editors make releases, with the button on this page.")
            return redirect("admin:aid_release_changelist")
        release = make_release(note=request.POST.get("note", "").strip(), user=request.user)
        if release is None:
            messages.info(request, "Nothing changed since the last release: no release made.")
        else:
            messages.success(request, f"Release {release.id} made: sha256:{release.package_sha256}")
        return redirect("admin:aid_release_changelist")

    def changelist_view(self, request, extra_context=None):
        extra = {"can_make_release": request.user.has_perm("aid.make_release"), **(extra_context or {})}
        return super().changelist_view(request, extra)
