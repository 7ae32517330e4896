"""API views of accounts/."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.api.serializers import MeSerializer
from accounts.selectors import affiliations_of


class MeView(APIView):
    """The authenticated caller: username, roles, the parks they see and the enterprises they act for."""

    @extend_schema(responses=MeSerializer, operation_id="me_retrieve")
    def get(self, request):
        user = request.user
        aff = affiliations_of(user)
        data = {
            "username": user.get_username(),
            "display_name": user.get_full_name(),
            "email": user.email,
            "roles": aff.role_codes,
            "all_parks": aff.all_parks,
            "parks": aff.parks,
            "department": aff.department.name if aff.department else None,
            "enterprises": aff.memberships,
        }
        return Response(MeSerializer(data).data)
