"""Serializers of the accounts API."""

from rest_framework import serializers


class ParkRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class EnterpriseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="enterprise.id")
    name = serializers.CharField(source="enterprise.name")
    credit_code = serializers.CharField(source="enterprise.credit_code")
    park = serializers.IntegerField(source="enterprise.park_id")
    status = serializers.CharField(source="enterprise.status")
    membership_role = serializers.CharField(source="role")


class MeSerializer(serializers.Serializer):
    """Who the caller is: what an API client needs to know which parks and roles its token acts with."""

    username = serializers.CharField()
    display_name = serializers.CharField()
    email = serializers.EmailField()
    roles = serializers.ListField(child=serializers.CharField())
    all_parks = serializers.BooleanField()
    parks = ParkRefSerializer(many=True)
    department = serializers.CharField(allow_null=True)
    enterprises = EnterpriseRefSerializer(many=True)
