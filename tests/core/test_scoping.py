from core.scoping import ALL, enterprise_ids_for, park_ids_for


def test_official_sees_only_assigned_parks(world_a, world_b):
    assert park_ids_for(world_a.dispatcher) == {world_a.park.pk}


def test_platform_admin_sees_all_parks(platform_admin):
    assert park_ids_for(platform_admin) is ALL


def test_enterprise_user_acts_for_own_verified_enterprise_only(world_a, world_b):
    assert enterprise_ids_for(world_a.enterprise_user) == {world_a.enterprise.pk}
