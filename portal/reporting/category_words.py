"""The crime categories' names and hints as first loaded (by the migrations), marked for the catalogue, so that a
victim reading in Polish or Arabic sees them translated. An admin can rename a category; a new name shows as
written until it is added here and translated."""

from portal.i18n import N_

SEEDED = {
    "theft": (N_("Theft"), N_("Something was stolen, but not taken from you by force or from your hands or pockets")),
    "bicycle_theft": (N_("Bicycle theft"), None),
    "theft_from_vehicle": (
        N_("Theft from a vehicle"),
        N_("Something was taken from inside or from the outside of a vehicle"),
    ),
    "theft_of_vehicle": (N_("Theft of a vehicle"), N_("A car, van, motorbike or scooter was stolen")),
    "criminal_damage": (
        N_("Criminal damage"),
        N_("Property was damaged on purpose, for example a broken window or graffiti"),
    ),
    "vehicle_damage": (
        N_("Damage to a vehicle"),
        N_("A vehicle was scratched, dented or had its windows or mirrors broken"),
    ),
    "anti_social_behaviour": (
        N_("Anti-social behaviour"),
        N_("Behaviour that causes alarm or distress, such as noise or intimidation, where nobody was threatened"),
    ),
    "hate_incident": (
        N_("A hate incident"),
        N_("Someone was hostile to you because of who you are, but did not threaten you or hurt you"),
    ),
    "lost_property": (N_("Lost property"), N_("You lost something and do not think it was stolen")),
    "fraud": (
        N_("Fraud, a scam or cyber crime"),
        N_("For example, someone tricked you into paying money or got into your online account"),
    ),
    "domestic_abuse": (N_("Domestic abuse"), N_("By a partner, ex-partner or family member")),
    "sexual_offence": (N_("A sexual offence"), None),
    "child_abuse": (N_("Abuse of a child"), None),
    "stalking": (N_("Stalking or harassment"), N_("Someone keeps contacting, following or watching you")),
    "hate_crime_threats": (N_("A hate crime with threats or violence"), None),
}
