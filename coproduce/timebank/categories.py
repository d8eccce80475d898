"""The default list of skills and categories a new installation starts with.

Categories are shared by every bank of the platform (so that members of linked banks, and the asset
map, speak the same language when the matching engine compares them); a bank can add its own and
switch off defaults it does not use. Categories in the same group count as related for matching.
The English names are marked for translation and shown translated while a default is unchanged.
"""

from django.utils.translation import gettext_noop as N_

# (group slug, group name, [(slug, name, sensitive)]). "Sensitive" work needs references
# (e.g. taking someone to hospital); see the matching engine's constraints.
DEFAULT_GROUPS = [
    ("home", N_("Home and garden"), [
        ("gardening", N_("Gardening"), False),
        ("diy", N_("DIY and small repairs"), False),
        ("decorating", N_("Decorating"), False),
        ("cleaning", N_("Cleaning and tidying"), False),
        ("moving", N_("Moving and lifting"), False),
    ]),
    ("getting-about", N_("Getting about"), [
        ("lifts", N_("Lifts in a car"), False),
        ("appointments", N_("Going with someone to appointments or hospital"), True),
        ("errands", N_("Shopping and collecting prescriptions"), False),
        ("walking", N_("Walking with someone"), False),
    ]),
    ("company", N_("Company and care"), [
        ("befriending", N_("Befriending and visiting"), True),
        ("phone-befriending", N_("Phone calls for a chat"), False),
        ("childcare", N_("Looking after children"), True),
        ("pets", N_("Pet care and dog walking"), False),
        ("respite", N_("Sitting with someone so a carer can rest"), True),
    ]),
    ("learning", N_("Learning and skills"), [
        ("digital", N_("Help with computers and phones"), False),
        ("language", N_("Language practice and conversation"), False),
        ("tutoring", N_("Tutoring and homework help"), False),
        ("music", N_("Music and singing"), False),
        ("crafts", N_("Crafts, sewing and knitting"), False),
    ]),
    ("paperwork", N_("Paperwork and advice"), [
        ("forms", N_("Filling in forms and writing letters"), False),
        ("translation", N_("Translating and interpreting"), False),
        ("admin", N_("Admin and bookkeeping"), False),
    ]),
    ("food", N_("Food"), [
        ("cooking", N_("Cooking and baking"), False),
        ("meals", N_("Sharing a meal"), False),
    ]),
    ("community", N_("Community activities"), [
        ("events", N_("Helping at events"), False),
        ("publicity", N_("Publicity, design and photography"), False),
        ("repairs-cafe", N_("Mending bikes, clothes and things"), False),
        ("wellbeing", N_("Exercise, walking groups and wellbeing"), False),
    ]),
    ("lending", N_("Things to lend"), [
        ("tools", N_("Tools and equipment"), False),
        ("space", N_("A room or space"), False),
    ]),
]


def default_rows():
    """Yield (group, group_name, slug, name, sensitive, position) for the default list."""
    position = 0
    for group, group_name, items in DEFAULT_GROUPS:
        for slug, name, sensitive in items:
            position += 1
            yield group, group_name, slug, name, sensitive, position


def seed_missing(category_model) -> int:
    """Add the shared default categories that are not in the table yet; return how many were added.

    Called by the data migration and after every migrate or flush (``post_migrate``), so a database
    emptied by a test flush or a restore gets the list back. Rows already there are left as they are.
    """
    have = set(category_model.objects.filter(timebank=None).values_list("slug", flat=True))
    missing = [
        category_model(timebank=None, slug=slug, group=group, group_name=group_name, name=name,
                       sensitive=sensitive, position=position, is_default=True)
        for group, group_name, slug, name, sensitive, position in default_rows() if slug not in have
    ]
    category_model.objects.bulk_create(missing)
    return len(missing)
