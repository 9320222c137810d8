# ruff: noqa: E501 - prose and names read best one per line
"""The countries synthetic peers come from, spread as the paper's cases are: East, West and
Southern Africa, the Maghreb, Latin America, Central Asia and the Caucasus, South and
South-East Asia, and a few European peers.

For each: how many peers it gets (relative weight), working languages (the first always,
the others with a probability), the currency and a rough rate to the US dollar (for amounts
in texts), given names and family names, real public institutions, and the word and
localities for its local governments.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CountrySeed:
    code: str
    weight: float
    languages: tuple[tuple[str, float], ...]
    currency: str
    usd_rate: float
    women: tuple[str, ...]
    men: tuple[str, ...]
    surnames: tuple[str, ...]
    #: (kind, name, acronym)
    organisations: tuple[tuple[str, str, str], ...]
    local_template: str
    localities: tuple[str, ...]
    local_unit: str
    local_units: str
    #: "western" (given family), "eastern" (family given), "two-surnames" (given family family)
    name_order: str = "western"
    #: Russian-style family names take -a for women (Asanov, Asanova).
    feminine_surnames: bool = False


def _l(s: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in s.split(",") if x.strip())


def _langs(s: str) -> tuple[tuple[str, float], ...]:
    out = []
    for part in s.split():
        code, _, p = part.partition(":")
        out.append((code, float(p or 1)))
    return tuple(out)


def _orgs(s: str) -> tuple[tuple[str, str, str], ...]:
    out = []
    for line in s.strip().splitlines():
        kind, name, acronym = (x.strip() for x in line.split("|"))
        out.append((kind, name, acronym))
    return tuple(out)


def _c(
    code: str,
    weight: float,
    langs: str,
    currency: str,
    rate: float,
    women: str,
    men: str,
    surnames: str,
    orgs: str,
    local: str,
    localities: str,
    unit: str,
    units: str,
    **kw: object,
) -> CountrySeed:
    return CountrySeed(
        code,
        weight,
        _langs(langs),
        currency,
        rate,
        _l(women),
        _l(men),
        _l(surnames),
        _orgs(orgs),
        local,
        _l(localities),
        unit,
        units,
        **kw,  # type: ignore[arg-type]
    )


COUNTRIES: tuple[CountrySeed, ...] = (
    # --- East Africa ---------------------------------------------------------------------
    _c(
        "KE",
        14,
        "en sw:0.85",
        "KES",
        130,
        "Grace, Mercy, Faith, Jane, Esther, Purity, Winnie, Halima, Lucy, Eunice, Sharon, Judith",
        "Peter, John, Brian, Kevin, Samuel, Dennis, Hassan, Joseph, Victor, Kennedy, Daniel, Isaac",
        "Odhiambo, Kariuki, Mutua, Cheruiyot, Wekesa, Njoroge, Omondi, Kiptoo, Mohamed, "
        "Wambugu, Nyaga, Ochieng, Barasa, Kilonzo",
        """finance_ministry | The National Treasury |
       revenue_authority | Kenya Revenue Authority | KRA
       parliament | Parliament of Kenya |
       civil_service | Public Service Commission of Kenya | PSC
       procurement | Public Procurement Regulatory Authority | PPRA
       audit | Office of the Auditor-General | OAG
       anti_corruption | Ethics and Anti-Corruption Commission | EACC
       statistics | Kenya National Bureau of Statistics | KNBS
       service_agency | Huduma Kenya |
       intergovernmental | Commission on Revenue Allocation | CRA
       environment | National Environment Management Authority | NEMA
       justice | Judiciary of Kenya |
       think_tank | Institute of Economic Affairs | IEA Kenya
       ngo | Transparency International Kenya | TI-Kenya""",
        "County Government of {}",
        "Mombasa, Kiambu, Uasin Gishu, Kericho, Bungoma",
        "county",
        "counties",
    ),
    _c(
        "UG",
        10,
        "en sw:0.4",
        "UGX",
        3700,
        "Sarah, Grace, Juliet, Brenda, Esther, Winnie, Harriet, Agnes, Rebecca, Doreen",
        "Moses, Ronald, Isaac, Godfrey, Emmanuel, Patrick, Joseph, Denis, Robert, Fred",
        "Mugisha, Okello, Tumusiime, Byaruhanga, Opio, Kiggundu, Mukasa, Ssali, Kabuye, Ouma, "
        "Asiimwe, Ainembabazi",
        """finance_ministry | Ministry of Finance, Planning and Economic Development | MoFPED
       revenue_authority | Uganda Revenue Authority | URA
       parliament | Parliament of Uganda |
       civil_service | Ministry of Public Service | MoPS
       procurement | Public Procurement and Disposal of Public Assets Authority | PPDA
       audit | Office of the Auditor General | OAG
       anti_corruption | Inspectorate of Government | IG
       statistics | Uganda Bureau of Statistics | UBOS
       environment | Ministry of Water and Environment | MWE
       justice | Judiciary of Uganda |
       think_tank | Advocates Coalition for Development and Environment | ACODE""",
        "{} District Local Government",
        "Gulu, Mbarara, Jinja, Mbale, Arua",
        "district",
        "districts",
    ),
    _c(
        "TZ",
        7,
        "sw en:0.9",
        "TZS",
        2500,
        "Neema, Rehema, Upendo, Zawadi, Anna, Happiness, Mwanaisha, Joyce, Halima, Agnes",
        "Juma, Baraka, Emmanuel, Godfrey, Hamisi, Joseph, Frank, Idd, Elia, Salum",
        "Mwakyusa, Mushi, Kimaro, Msuya, Massawe, Mfinanga, Lyimo, Mrema, Kombo, Mwinyi, Shayo, "
        "Nnko",
        """finance_ministry | Ministry of Finance and Planning | MoFP
       revenue_authority | Tanzania Revenue Authority | TRA
       parliament | Parliament of Tanzania |
       civil_service | President's Office – Public Service Management and Good Governance | PO-PSMGG
       procurement | Public Procurement Regulatory Authority | PPRA
       anti_corruption | Prevention and Combating of Corruption Bureau | PCCB
       audit | National Audit Office of Tanzania | NAOT
       mining | Mining Commission |
       think_tank | REPOA | REPOA""",
        "{} City Council",
        "Arusha, Mwanza, Dodoma, Mbeya, Tanga",
        "council",
        "councils",
    ),
    _c(
        "RW",
        6,
        "rw en:0.8 fr:0.5",
        "RWF",
        1300,
        "Aline, Claudine, Diane, Jeanne, Solange, Immaculée, Vestine, Grace, Chantal, Alice",
        "Jean Claude, Emmanuel, Eric, Innocent, Patrick, Théogène, Alexis, Fidèle, Olivier, Jean "
        "Bosco",
        "Uwimana, Mukamana, Niyonzima, Habimana, Nsengiyumva, Uwase, Mugisha, Hakizimana, "
        "Ndayisaba, Ingabire",
        """finance_ministry | Ministry of Finance and Economic Planning | MINECOFIN
       revenue_authority | Rwanda Revenue Authority | RRA
       parliament | Parliament of Rwanda |
       civil_service | Ministry of Public Service and Labour | MIFOTRA
       procurement | Rwanda Public Procurement Authority | RPPA
       anti_corruption | Office of the Ombudsman |
       service_agency | Irembo |
       intergovernmental | Rwanda Governance Board | RGB
       environment | Rwanda Green Fund | FONERWA
       think_tank | Institute of Policy Analysis and Research Rwanda | IPAR""",
        "{} District",
        "Huye, Musanze, Rubavu, Nyagatare, Rusizi",
        "district",
        "districts",
    ),
    _c(
        "ET",
        5,
        "am en:0.8 om:0.25",
        "ETB",
        120,
        "Selam, Hirut, Meron, Tigist, Bethlehem, Almaz, Hana, Mekdes, Saron, Liya",
        "Dawit, Tesfaye, Yonas, Abebe, Bereket, Kebede, Solomon, Getachew, Henok, Yared",
        "Bekele, Tadesse, Alemu, Girma, Haile, Mekonnen, Wolde, Assefa, Negash, Desta, "
        "Gebremedhin, Abera",
        """finance_ministry | Ministry of Finance | MoF
       revenue_authority | Ministry of Revenues | MoR
       parliament | House of Peoples' Representatives | HoPR
       civil_service | Civil Service Commission |
       procurement | Public Procurement and Property Authority | PPA
       anti_corruption | Federal Ethics and Anti-Corruption Commission | FEACC
       statistics | Ethiopian Statistics Service | ESS
       think_tank | Ethiopian Economics Association | EEA""",
        "{} City Administration",
        "Adama, Bahir Dar, Hawassa, Dire Dawa, Gondar",
        "city",
        "cities",
    ),
    # --- West and Central Africa ---------------------------------------------------------
    _c(
        "GH",
        9,
        "en tw:0.4",
        "GHS",
        12,
        "Abena, Akosua, Ama, Efua, Adwoa, Esi, Yaa, Gifty, Priscilla, Comfort, Mavis, Afia",
        "Kwame, Kofi, Kwabena, Yaw, Kojo, Kweku, Emmanuel, Samuel, Prince, Ibrahim, Nii, Ebo",
        "Mensah, Asante, Owusu, Boateng, Osei, Appiah, Agyeman, Ofori, Quaye, Amoah, Tetteh, "
        "Adjei, Issah, Danso",
        """finance_ministry | Ministry of Finance | MoF
       revenue_authority | Ghana Revenue Authority | GRA
       parliament | Parliament of Ghana |
       civil_service | Office of the Head of Civil Service | OHCS
       procurement | Public Procurement Authority | PPA
       audit | Ghana Audit Service | GAS
       anti_corruption | Commission on Human Rights and Administrative Justice | CHRAJ
       statistics | Ghana Statistical Service | GSS
       mining | Minerals Commission |
       think_tank | African Center for Economic Transformation | ACET
       ngo | Ghana Integrity Initiative | GII""",
        "{} Metropolitan Assembly",
        "Kumasi, Tamale, Sekondi-Takoradi, Cape Coast, Tema",
        "assembly",
        "assemblies",
    ),
    _c(
        "NG",
        8,
        "en ha:0.2 yo:0.2 ig:0.15",
        "NGN",
        1500,
        "Ngozi, Aisha, Funmilayo, Chiamaka, Zainab, Adaeze, Folake, Hauwa, Blessing, Temitope, "
        "Amaka, Halima",
        "Chinedu, Emeka, Oluwaseun, Ibrahim, Musa, Tunde, Ifeanyi, Abdullahi, Segun, Uche, "
        "Babatunde, Yusuf",
        "Okafor, Adeyemi, Bello, Nwosu, Abubakar, Ogunleye, Eze, Danjuma, Okonkwo, Lawal, "
        "Adebayo, Umar, Obi, Balogun",
        """finance_ministry | Federal Ministry of Finance | FMF
       revenue_authority | Federal Inland Revenue Service | FIRS
       parliament | National Assembly of Nigeria | NASS
       civil_service | Office of the Head of the Civil Service of the Federation | OHCSF
       procurement | Bureau of Public Procurement | BPP
       anti_corruption | Economic and Financial Crimes Commission | EFCC
       statistics | National Bureau of Statistics | NBS
       mining | Nigeria Extractive Industries Transparency Initiative | NEITI
       think_tank | Centre for the Study of the Economies of Africa | CSEA
       ngo | BudgIT |""",
        "{} State Government",
        "Lagos, Kaduna, Ekiti, Enugu, Kano",
        "state",
        "states",
    ),
    _c(
        "SN",
        6,
        "fr wo:0.6 en:0.3",
        "XOF",
        600,
        "Aminata, Fatou, Awa, Mariama, Khady, Ndeye, Rokhaya, Aïssatou, Coumba, Sokhna",
        "Mamadou, Ousmane, Cheikh, Abdoulaye, Moussa, Ibrahima, Babacar, Modou, Serigne, Alioune",
        "Diop, Ndiaye, Fall, Sow, Diallo, Sarr, Gueye, Faye, Ba, Mbaye, Sy, Cissé, Thiam, Ndour",
        """finance_ministry | Ministère des Finances et du Budget | MFB
       revenue_authority | Direction Générale des Impôts et des Domaines | DGID
       parliament | Assemblée nationale du Sénégal |
       civil_service | Ministère de la Fonction publique et de la Réforme du Service public |
       procurement | Autorité de Régulation de la Commande Publique | ARCOP
       audit | Cour des comptes du Sénégal |
       anti_corruption | Office National de lutte contre la Fraude et la Corruption | OFNAC
       statistics | Agence Nationale de la Statistique et de la Démographie | ANSD
       environment | Centre de Suivi Écologique | CSE
       think_tank | Consortium pour la Recherche Économique et Sociale | CRES""",
        "Ville de {}",
        "Thiès, Saint-Louis, Ziguinchor, Kaolack, Rufisque",
        "commune",
        "communes",
    ),
    _c(
        "CI",
        5,
        "fr en:0.3",
        "XOF",
        600,
        "Adjoua, Aya, Affoué, Mariam, Nadège, Christelle, Awa, Estelle, Raïssa, Bintou",
        "Koffi, Yao, Kouassi, Konan, Serge, Jean-Baptiste, Ibrahim, Didier, Arsène, Lassina",
        "Kouadio, Koné, Traoré, N'Guessan, Ouattara, Bamba, Kouamé, Coulibaly, Brou, Aka, Diabaté",
        """finance_ministry | Ministère des Finances et du Budget | MFB
       revenue_authority | Direction Générale des Impôts | DGI
       parliament | Assemblée nationale de Côte d'Ivoire |
       civil_service | Ministère de la Fonction Publique |
       procurement | Autorité Nationale de Régulation des Marchés Publics | ANRMP
       anti_corruption | Haute Autorité pour la Bonne Gouvernance | HABG
       statistics | Institut National de la Statistique | INS""",
        "Commune de {}",
        "Yopougon, Cocody, Bouaké, San-Pédro, Korhogo",
        "commune",
        "communes",
    ),
    _c(
        "BF",
        4,
        "fr en:0.2",
        "XOF",
        600,
        "Aminata, Salimata, Rasmata, Mariam, Alizèta, Fatimata, Awa, Habibou, Clarisse, Bernadette",
        "Boukary, Issouf, Salif, Adama, Moussa, Souleymane, Jean-Pierre, Ousmane, Hamidou, "
        "Dieudonné",
        "Ouédraogo, Sawadogo, Kaboré, Compaoré, Zongo, Traoré, Ouattara, Sanou, Kiemtoré, "
        "Nikiéma, Zoungrana, Tapsoba",
        """finance_ministry | Ministère de l'Économie, des Finances et de la Prospective | MEFP
       revenue_authority | Direction Générale des Impôts | DGI
       anti_corruption | Autorité Supérieure de Contrôle d'État et de Lutte contre la Corruption | ASCE-LC
       audit | Cour des comptes du Burkina Faso |
       statistics | Institut National de la Statistique et de la Démographie | INSD""",
        "Commune de {}",
        "Bobo-Dioulasso, Koudougou, Ouahigouya, Banfora, Kaya",
        "commune",
        "communes",
    ),
    _c(
        "CM",
        4,
        "fr en:0.6",
        "XAF",
        600,
        "Mireille, Brigitte, Estelle, Yvonne, Solange, Clarisse, Aïcha, Pauline, Bertha, Carine",
        "Jean-Paul, Emmanuel, Hervé, Blaise, Alain, Rodrigue, Ibrahim, Serge, Martin, Samuel",
        "Mbarga, Nkoulou, Fotso, Tchoumi, Nguemo, Essomba, Manga, Ngassa, Kamga, Ekambi, "
        "Atangana, Tchakounté",
        """finance_ministry | Ministère des Finances | MINFI
       revenue_authority | Direction Générale des Impôts | DGI
       parliament | Assemblée nationale du Cameroun |
       civil_service | Ministère de la Fonction Publique et de la Réforme Administrative | MINFOPRA
       procurement | Agence de Régulation des Marchés Publics | ARMP
       anti_corruption | Commission Nationale Anti-Corruption | CONAC""",
        "Communauté urbaine de {}",
        "Douala, Yaoundé, Bamenda, Garoua, Bafoussam",
        "council",
        "councils",
    ),
    # --- Southern Africa -----------------------------------------------------------------
    _c(
        "ZM",
        8,
        "en ny:0.3",
        "ZMW",
        25,
        "Mutinta, Chilufya, Mwila, Natasha, Bwalya, Chipo, Memory, Precious, Thandiwe, Namakau",
        "Mwansa, Chanda, Kelvin, Mwape, Brian, Lubinda, Joseph, Kasonde, Chola, Mulenga",
        "Banda, Phiri, Mwale, Zulu, Tembo, Mulenga, Lungu, Sakala, Mumba, Hamweemba, Siame, "
        "Musonda, Kapembwa",
        """finance_ministry | Ministry of Finance and National Planning | MoFNP
       revenue_authority | Zambia Revenue Authority | ZRA
       parliament | National Assembly of Zambia |
       cabinet | Cabinet Office |
       civil_service | Public Service Management Division | PSMD
       procurement | Zambia Public Procurement Authority | ZPPA
       audit | Office of the Auditor General | OAG
       anti_corruption | Anti-Corruption Commission | ACC
       statistics | Zambia Statistics Agency | ZamStats
       mining | Ministry of Mines and Minerals Development |
       think_tank | Zambia Institute for Policy Analysis and Research | ZIPAR""",
        "{} City Council",
        "Ndola, Kitwe, Livingstone, Chipata, Kabwe",
        "council",
        "councils",
    ),
    _c(
        "MW",
        6,
        "en ny:0.7",
        "MWK",
        1700,
        "Chisomo, Tiwonge, Thokozani, Mphatso, Chikondi, Grace, Esther, Tamanda, Madalitso, Ruth",
        "Kondwani, Limbani, Chimwemwe, Blessings, Yamikani, Dalitso, Harold, Francis, Innocent, "
        "Mavuto",
        "Banda, Phiri, Mwale, Chirwa, Kumwenda, Nyirenda, Gondwe, Mkandawire, Chibwana, "
        "Kachingwe, Msiska, Kalua",
        """finance_ministry | Ministry of Finance | MoF
       revenue_authority | Malawi Revenue Authority | MRA
       parliament | Parliament of Malawi |
       civil_service | Department of Human Resource Management and Development | DHRMD
       procurement | Public Procurement and Disposal of Assets Authority | PPDA
       anti_corruption | Anti-Corruption Bureau | ACB
       audit | National Audit Office | NAO
       ngo | Malawi Economic Justice Network | MEJN""",
        "{} District Council",
        "Kasungu, Mangochi, Dedza, Zomba, Karonga",
        "council",
        "councils",
    ),
    _c(
        "ZW",
        6,
        "en sn:0.5 nd:0.2",
        "USD",
        1,
        "Tendai, Rutendo, Chipo, Nyasha, Tsitsi, Rumbidzai, Fadzai, Thandeka, Nokuthula, Vimbai",
        "Tatenda, Farai, Tinashe, Tapiwa, Kudakwashe, Simbarashe, Sibusiso, Tafadzwa, Takudzwa, "
        "Blessing",
        "Moyo, Ncube, Dube, Sibanda, Chikwanha, Mutasa, Mlambo, Marufu, Nyathi, Zvobgo, "
        "Mushonga, Gumbo",
        """finance_ministry | Ministry of Finance, Economic Development and Investment Promotion |
       revenue_authority | Zimbabwe Revenue Authority | ZIMRA
       parliament | Parliament of Zimbabwe |
       civil_service | Public Service Commission | PSC
       procurement | Procurement Regulatory Authority of Zimbabwe | PRAZ
       anti_corruption | Zimbabwe Anti-Corruption Commission | ZACC
       audit | Office of the Auditor-General | OAG
       ngo | Zimbabwe Coalition on Debt and Development | ZIMCODD""",
        "{} City Council",
        "Bulawayo, Mutare, Gweru, Masvingo, Kwekwe",
        "council",
        "councils",
    ),
    _c(
        "ZA",
        6,
        "en zu:0.3 af:0.2 xh:0.2",
        "ZAR",
        18,
        "Thandiwe, Nomvula, Lerato, Palesa, Zanele, Annelie, Fatima, Nadia, Busisiwe, Refilwe, "
        "Michelle, Karabo",
        "Sipho, Thabo, Mandla, Pieter, Sizwe, Themba, Lwazi, Ashwin, Johan, Kagiso, Bongani, Riaan",
        "Nkosi, Dlamini, Mokoena, van der Merwe, Naidoo, Khumalo, Botha, Mahlangu, Pillay, "
        "Ndlovu, Jacobs, Mthembu, Petersen, Molefe",
        """finance_ministry | National Treasury |
       revenue_authority | South African Revenue Service | SARS
       parliament | Parliament of the Republic of South Africa |
       civil_service | Department of Public Service and Administration | DPSA
       cabinet | Department of Planning, Monitoring and Evaluation | DPME
       audit | Auditor-General of South Africa | AGSA
       statistics | Statistics South Africa | Stats SA
       think_tank | Public Affairs Research Institute | PARI
       ngo | Corruption Watch |""",
        "{} Metropolitan Municipality",
        "eThekwini, Tshwane, Ekurhuleni, Mangaung, Buffalo City",
        "municipality",
        "municipalities",
    ),
    _c(
        "MZ",
        4,
        "pt en:0.3",
        "MZN",
        64,
        "Ana, Maria, Graça, Luísa, Célia, Fátima, Joana, Lurdes, Isabel, Esperança",
        "João, Carlos, António, Armando, Paulo, Manuel, Alberto, Celso, Eduardo, Jorge",
        "Macuácua, Mondlane, Sitoe, Nhantumbo, Cossa, Mabunda, Langa, Machava, Tembe, Muianga, "
        "Chambal, Matsinhe",
        """finance_ministry | Ministério da Economia e Finanças | MEF
       revenue_authority | Autoridade Tributária de Moçambique | AT
       parliament | Assembleia da República |
       civil_service | Ministério da Administração Estatal e Função Pública | MAEFP
       anti_corruption | Gabinete Central de Combate à Corrupção | GCCC
       statistics | Instituto Nacional de Estatística | INE
       mining | Instituto Nacional de Minas | INAMI
       ngo | Centro de Integridade Pública | CIP""",
        "Conselho Municipal de {}",
        "Beira, Nampula, Quelimane, Chimoio, Tete",
        "municipality",
        "municipalities",
    ),
    # --- North Africa and West Asia ------------------------------------------------------
    _c(
        "MA",
        6,
        "ar fr:0.9 en:0.3",
        "MAD",
        10,
        "Fatima Zahra, Khadija, Salma, Meryem, Imane, Nadia, Hajar, Loubna, Sanaa, Zineb",
        "Mohamed, Youssef, Hamza, Karim, Rachid, Anas, Omar, Mehdi, Abdelilah, Said",
        "El Idrissi, Benjelloun, Alaoui, Bennani, Tazi, El Amrani, Berrada, Chraibi, Ouazzani, "
        "El Fassi, Lahlou, Bouzidi",
        """finance_ministry | Ministère de l'Économie et des Finances | MEF
       revenue_authority | Direction Générale des Impôts | DGI
       parliament | Chambre des Représentants |
       civil_service | Ministère de la Transition Numérique et de la Réforme de l'Administration |
       anti_corruption | Instance Nationale de la Probité, de la Prévention et de la Lutte contre la Corruption | INPPLC
       audit | Cour des comptes du Maroc |
       statistics | Haut-Commissariat au Plan | HCP
       environment | Agence pour le Développement Agricole | ADA""",
        "Commune de {}",
        "Fès, Agadir, Tanger, Oujda, Marrakech",
        "commune",
        "communes",
    ),
    _c(
        "TN",
        4,
        "ar fr:0.9 en:0.3",
        "TND",
        3.1,
        "Amira, Sonia, Rim, Ines, Olfa, Salma, Yosra, Hela, Nour, Sabrine",
        "Mohamed Ali, Anis, Walid, Sami, Hatem, Karim, Slim, Bilel, Nizar, Mehdi",
        "Trabelsi, Jlassi, Ben Salah, Gharbi, Mejri, Hammami, Chaabane, Ben Amor, Dridi, Ayari, "
        "Belhaj, Khemiri",
        """finance_ministry | Ministère des Finances |
       parliament | Assemblée des Représentants du Peuple | ARP
       cabinet | Présidence du Gouvernement |
       procurement | Haute Instance de la Commande Publique | HAICOP
       statistics | Institut National de la Statistique | INS
       ngo | I Watch |""",
        "Municipalité de {}",
        "Sfax, Sousse, Kairouan, Bizerte, Gabès",
        "municipality",
        "municipalities",
    ),
    _c(
        "JO",
        3,
        "ar en:0.85",
        "JOD",
        0.71,
        "Lina, Dima, Hala, Ruba, Sawsan, Reem, Noor, Tamara, Aseel, Maysa",
        "Omar, Khaled, Ahmad, Yazan, Zaid, Hamzeh, Tareq, Faisal, Sami, Mahmoud",
        "Al-Khatib, Haddad, Al-Masri, Nasser, Obeidat, Al-Zoubi, Khoury, Abu Zeid, Al-Tal, Qudah, "
        "Hijazi, Shawabkeh",
        """finance_ministry | Ministry of Finance | MoF
       revenue_authority | Income and Sales Tax Department | ISTD
       parliament | House of Representatives of Jordan |
       civil_service | Civil Service Bureau | CSB
       anti_corruption | Integrity and Anti-Corruption Commission | JIACC
       audit | Audit Bureau |
       statistics | Department of Statistics | DoS
       service_agency | Ministry of Digital Economy and Entrepreneurship | MoDEE""",
        "Greater {} Municipality",
        "Amman, Irbid",
        "municipality",
        "municipalities",
    ),
    # --- Latin America -------------------------------------------------------------------
    _c(
        "PE",
        8,
        "es en:0.3 qu:0.15",
        "PEN",
        3.8,
        "María Fernanda, Rosa, Lucía, Carmen, Milagros, Ana Lucía, Gabriela, Patricia, Giuliana, "
        "Yesenia",
        "José Luis, Jorge, Luis Alberto, Carlos, Miguel, Juan Carlos, Renzo, César, Diego, "
        "Wilfredo",
        "Quispe, Mamani, Flores, Huamán, Rojas, Vargas, Chávez, Castillo, Torres, Gutiérrez, "
        "Ramírez, Salazar, Condori, Paredes",
        """finance_ministry | Ministerio de Economía y Finanzas | MEF
       revenue_authority | Superintendencia Nacional de Aduanas y de Administración Tributaria | SUNAT
       parliament | Congreso de la República del Perú |
       civil_service | Autoridad Nacional del Servicio Civil | SERVIR
       procurement | Organismo Supervisor de las Contrataciones del Estado | OSCE
       audit | Contraloría General de la República del Perú |
       statistics | Instituto Nacional de Estadística e Informática | INEI
       environment | Ministerio del Ambiente | MINAM
       mining | Ministerio de Energía y Minas | MINEM
       think_tank | Grupo de Análisis para el Desarrollo | GRADE
       ngo | Proética |""",
        "Municipalidad Provincial de {}",
        "Arequipa, Cusco, Trujillo, Piura, Huancayo",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    _c(
        "CO",
        7,
        "es en:0.35",
        "COP",
        4000,
        "Ana María, Paola, Natalia, Diana, Catalina, Luisa Fernanda, Juliana, Carolina, Marcela, "
        "Valentina",
        "Andrés, Juan Pablo, Camilo, Felipe, Sebastián, Mauricio, Santiago, Julián, Hernán, Óscar",
        "Rodríguez, Gómez, Martínez, López, Ospina, Restrepo, Cárdenas, Rincón, Londoño, Vargas, "
        "Castaño, Mejía, Arango, Duarte",
        """finance_ministry | Ministerio de Hacienda y Crédito Público | MHCP
       revenue_authority | Dirección de Impuestos y Aduanas Nacionales | DIAN
       parliament | Congreso de la República de Colombia |
       civil_service | Departamento Administrativo de la Función Pública | DAFP
       procurement | Colombia Compra Eficiente |
       audit | Contraloría General de la República de Colombia |
       cabinet | Departamento Nacional de Planeación | DNP
       statistics | Departamento Administrativo Nacional de Estadística | DANE
       justice | Consejo Superior de la Judicatura |
       mining | Agencia Nacional de Minería | ANM
       think_tank | Fedesarrollo |
       ngo | Transparencia por Colombia |""",
        "Alcaldía de {}",
        "Medellín, Cali, Barranquilla, Bucaramanga, Manizales",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    _c(
        "MX",
        7,
        "es en:0.4",
        "MXN",
        18,
        "Guadalupe, Mariana, Daniela, Fernanda, Alejandra, Verónica, Itzel, Ximena, Claudia, "
        "Adriana",
        "Luis, Alejandro, Eduardo, Ricardo, Jesús, Arturo, Rodrigo, Emiliano, Héctor, Raúl",
        "Hernández, García, Martínez, López, González, Pérez, Sánchez, Ramírez, Cruz, Morales, "
        "Reyes, Jiménez, Ortiz, Mendoza",
        """finance_ministry | Secretaría de Hacienda y Crédito Público | SHCP
       revenue_authority | Servicio de Administración Tributaria | SAT
       parliament | Cámara de Diputados |
       anti_corruption | Secretaría Anticorrupción y Buen Gobierno |
       audit | Auditoría Superior de la Federación | ASF
       statistics | Instituto Nacional de Estadística y Geografía | INEGI
       think_tank | México Evalúa |
       ngo | Instituto Mexicano para la Competitividad | IMCO""",
        "Gobierno Municipal de {}",
        "Puebla, Mérida, Guadalajara, Monterrey, Oaxaca de Juárez",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    _c(
        "CL",
        5,
        "es en:0.4",
        "CLP",
        930,
        "Francisca, Constanza, Javiera, Camila, Catalina, Macarena, Daniela, Fernanda, Paula, "
        "Carolina",
        "Matías, Cristóbal, Felipe, Rodrigo, Ignacio, Sebastián, Gonzalo, Tomás, Pablo, Andrés",
        "González, Muñoz, Rojas, Díaz, Soto, Contreras, Silva, Sepúlveda, Morales, Fuentes, "
        "Araya, Espinoza, Valenzuela, Tapia",
        """finance_ministry | Ministerio de Hacienda |
       revenue_authority | Servicio de Impuestos Internos | SII
       parliament | Cámara de Diputadas y Diputados |
       civil_service | Dirección Nacional del Servicio Civil |
       procurement | Dirección de Compras y Contratación Pública | ChileCompra
       audit | Contraloría General de la República de Chile |
       anti_corruption | Consejo para la Transparencia |
       statistics | Instituto Nacional de Estadísticas | INE
       think_tank | Espacio Público |""",
        "Municipalidad de {}",
        "Valparaíso, Concepción, Temuco, Antofagasta, La Florida",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    _c(
        "BR",
        7,
        "pt es:0.3 en:0.4",
        "BRL",
        5.2,
        "Ana Paula, Juliana, Fernanda, Camila, Patrícia, Renata, Luciana, Mariana, Beatriz, "
        "Tatiana",
        "João Pedro, Rafael, Gustavo, Felipe, Marcelo, Thiago, Bruno, Rodrigo, André, Leonardo",
        "Silva, Santos, Oliveira, Souza, Pereira, Costa, Rodrigues, Almeida, Nascimento, Lima, "
        "Carvalho, Ferreira, Ribeiro, Barbosa",
        """finance_ministry | Ministério da Fazenda |
       revenue_authority | Receita Federal do Brasil | RFB
       parliament | Câmara dos Deputados |
       civil_service | Escola Nacional de Administração Pública | ENAP
       anti_corruption | Controladoria-Geral da União | CGU
       audit | Tribunal de Contas da União | TCU
       statistics | Instituto Brasileiro de Geografia e Estatística | IBGE
       think_tank | Instituto de Pesquisa Econômica Aplicada | IPEA""",
        "Prefeitura de {}",
        "Recife, Porto Alegre, Belo Horizonte, Fortaleza, Curitiba",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    _c(
        "GT",
        4,
        "es en:0.25",
        "GTQ",
        7.8,
        "Ana Lucía, María José, Ingrid, Lesbia, Karla, Mónica, Claudia, Evelyn, Andrea, Sandra",
        "José Manuel, Carlos Enrique, Edgar, Byron, Otto, Hugo, Mynor, Luis Fernando, Rony, Walter",
        "López, Pérez, García, Morales, Ajú, Xicará, Tzul, Castillo, Reyes, Orellana, Cifuentes, "
        "Batz, Monzón, Chávez",
        """finance_ministry | Ministerio de Finanzas Públicas | MINFIN
       revenue_authority | Superintendencia de Administración Tributaria | SAT
       parliament | Congreso de la República de Guatemala |
       civil_service | Oficina Nacional de Servicio Civil | ONSEC
       audit | Contraloría General de Cuentas |
       justice | Organismo Judicial |
       think_tank | Instituto Centroamericano de Estudios Fiscales | ICEFI
       ngo | Acción Ciudadana |""",
        "Municipalidad de {}",
        "Quetzaltenango, Escuintla, Cobán, Antigua Guatemala, Huehuetenango",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    _c(
        "BO",
        4,
        "es qu:0.2 ay:0.15 en:0.2",
        "BOB",
        6.9,
        "Ximena, Roxana, Paola, Lourdes, Gabriela, Marcela, Wendy, Silvia, Jhenny, Carla",
        "Álvaro, Marcelo, Rodrigo, Freddy, Wilson, Jhonny, Sergio, Gonzalo, Fernando, René",
        "Mamani, Quispe, Choque, Flores, Vargas, Gutiérrez, Rojas, Torrez, Apaza, Ticona, "
        "Mendoza, Calle, Condori, Limachi",
        """finance_ministry | Ministerio de Economía y Finanzas Públicas | MEFP
       revenue_authority | Servicio de Impuestos Nacionales | SIN
       parliament | Asamblea Legislativa Plurinacional |
       audit | Contraloría General del Estado |
       statistics | Instituto Nacional de Estadística | INE""",
        "Gobierno Autónomo Municipal de {}",
        "La Paz, El Alto, Cochabamba, Sucre, Tarija",
        "municipality",
        "municipalities",
        name_order="two-surnames",
    ),
    # --- Central Asia and the Caucasus ---------------------------------------------------
    _c(
        "KG",
        7,
        "ky ru:0.9 en:0.35",
        "KGS",
        87,
        "Aizhan, Cholpon, Nazgul, Gulnara, Aida, Kanykei, Elmira, Asel, Meerim, Begimai",
        "Bakyt, Nurlan, Azamat, Ulan, Talant, Ermek, Kubanychbek, Daniyar, Almaz, Emil",
        "Asanov, Toktogulov, Sadykov, Abdyldaev, Mamatov, Jumabaev, Omurbekov, Usenov, "
        "Sultanov, Bekturganov",
        """finance_ministry | Ministry of Finance of the Kyrgyz Republic | MoF
       revenue_authority | State Tax Service of the Kyrgyz Republic | STS
       parliament | Jogorku Kenesh |
       cabinet | Administration of the Cabinet of Ministers |
       civil_service | State Agency for Civil Service and Local Self-Government Affairs |
       audit | Chamber of Accounts of the Kyrgyz Republic |
       statistics | National Statistical Committee of the Kyrgyz Republic | NSC""",
        "{} City Hall",
        "Osh, Karakol, Jalal-Abad, Naryn, Tokmok",
        "city",
        "cities",
        feminine_surnames=True,
    ),
    _c(
        "KZ",
        7,
        "kk ru:0.95 en:0.4",
        "KZT",
        470,
        "Aigerim, Dana, Gulnara, Asel, Aruzhan, Saule, Zhanar, Dinara, Aliya, Madina",
        "Nurlan, Yerlan, Arman, Daniyar, Askar, Timur, Bauyrzhan, Yerzhan, Marat, Serik",
        "Nurpeisov, Abenov, Zhaksybekov, Iskakov, Mukhametov, Baimukhanov, Kassymov, Omarov, "
        "Sarsenbayev, Akhmetov, Zhunusov, Beisenov",
        """finance_ministry | Ministry of Finance of the Republic of Kazakhstan | MoF
       revenue_authority | State Revenue Committee |
       parliament | Mazhilis of the Parliament of Kazakhstan |
       civil_service | Agency for Civil Service Affairs |
       anti_corruption | Anti-Corruption Agency |
       audit | Supreme Audit Chamber |
       statistics | Bureau of National Statistics |
       service_agency | Government for Citizens State Corporation |""",
        "Akimat of {}",
        "Almaty, Shymkent, Karaganda, Aktobe, Pavlodar",
        "akimat",
        "akimats",
        feminine_surnames=True,
    ),
    _c(
        "AZ",
        5,
        "az ru:0.7 en:0.5",
        "AZN",
        1.7,
        "Aynur, Leyla, Gunel, Nigar, Sevinj, Aysel, Narmin, Konul, Lala, Ulviyya",
        "Elvin, Rashad, Orkhan, Tural, Farid, Kamran, Anar, Ilkin, Vusal, Emin",
        "Mammadov, Aliyev, Huseynov, Hasanov, Guliyev, Ismayilov, Abbasov, Rzayev, Jafarov, "
        "Karimov",
        """finance_ministry | Ministry of Finance of the Republic of Azerbaijan | MoF
       revenue_authority | State Tax Service | STS
       parliament | Milli Majlis |
       service_agency | State Agency for Public Service and Social Innovations | ASAN
       audit | Chamber of Accounts of the Republic of Azerbaijan |
       statistics | State Statistical Committee |""",
        "{} City Executive Power",
        "Ganja, Sumgait, Lankaran, Shaki, Mingachevir",
        "city",
        "cities",
        feminine_surnames=True,
    ),
    _c(
        "GE",
        5,
        "ka en:0.7 ru:0.5",
        "GEL",
        2.7,
        "Nino, Tamar, Mariam, Ketevan, Natia, Salome, Eka, Tinatin, Ana, Sopho",
        "Giorgi, Levan, Davit, Irakli, Nikoloz, Zurab, Lasha, Beka, Tornike, Sandro",
        "Beridze, Kapanadze, Gelashvili, Lomidze, Tsiklauri, Japaridze, Chkheidze, Maisuradze, "
        "Kvaratskhelia, Abashidze",
        """finance_ministry | Ministry of Finance of Georgia | MoF
       revenue_authority | Revenue Service of Georgia |
       parliament | Parliament of Georgia |
       civil_service | Civil Service Bureau | CSB
       service_agency | Public Service Hall |
       procurement | State Procurement Agency | SPA
       audit | State Audit Office of Georgia | SAO
       statistics | National Statistics Office of Georgia | Geostat
       ngo | Institute for Development of Freedom of Information | IDFI""",
        "{} City Hall",
        "Batumi, Kutaisi, Rustavi, Zugdidi, Telavi",
        "city",
        "cities",
    ),
    # --- South and South-East Asia -------------------------------------------------------
    _c(
        "NP",
        5,
        "ne en:0.85",
        "NPR",
        133,
        "Sita, Anjali, Sarita, Pooja, Sunita, Bimala, Asmita, Kabita, Radhika, Prativa",
        "Ramesh, Bishnu, Suman, Prakash, Rajendra, Bikash, Hari, Dipendra, Santosh, Kiran",
        "Sharma, Shrestha, Adhikari, Thapa, Gurung, Poudel, Karki, Tamang, Rai, Bhattarai, "
        "Maharjan, Khadka, Yadav, Magar",
        """finance_ministry | Ministry of Finance | MoF
       revenue_authority | Inland Revenue Department | IRD
       parliament | Federal Parliament of Nepal |
       intergovernmental | Ministry of Federal Affairs and General Administration | MoFAGA
       procurement | Public Procurement Monitoring Office | PPMO
       anti_corruption | Commission for the Investigation of Abuse of Authority | CIAA
       audit | Office of the Auditor General | OAG
       environment | National Trust for Nature Conservation | NTNC
       environment | Alternative Energy Promotion Centre | AEPC""",
        "{} Metropolitan City",
        "Lalitpur, Pokhara, Bharatpur, Biratnagar, Birgunj",
        "city",
        "cities",
    ),
    _c(
        "IN",
        6,
        "en hi:0.7",
        "INR",
        83,
        "Priya, Anjali, Kavita, Meera, Sunita, Deepa, Lakshmi, Neha, Aparna, Farah",
        "Rajesh, Amit, Suresh, Arun, Vikram, Sanjay, Rahul, Imran, Prakash, Venkatesh",
        "Sharma, Gupta, Iyer, Reddy, Patel, Singh, Nair, Das, Kulkarni, Banerjee, Khan, Mehta, "
        "Menon, Rao",
        """finance_ministry | Ministry of Finance, Department of Revenue |
       revenue_authority | Central Board of Direct Taxes | CBDT
       parliament | Lok Sabha Secretariat |
       civil_service | Department of Personnel and Training | DoPT
       cabinet | NITI Aayog |
       audit | Comptroller and Auditor General of India | CAG
       development_bank | National Bank for Agriculture and Rural Development | NABARD
       think_tank | Centre for Policy Research | CPR
       ngo | Public Affairs Centre | PAC""",
        "{} Municipal Corporation",
        "Pune, Indore, Surat, Bhubaneswar, Kochi",
        "municipality",
        "municipalities",
    ),
    _c(
        "VN",
        5,
        "vi en:0.6",
        "VND",
        25000,
        "Thị Lan, Thu Hà, Ngọc Anh, Thị Hương, Minh Thư, Thanh Hằng, Thị Mai, Phương Linh",
        "Văn Minh, Quốc Hùng, Đức Anh, Văn Tuấn, Minh Quân, Hoàng Nam, Văn Long, Quang Huy",
        "Nguyễn, Trần, Lê, Phạm, Hoàng, Vũ, Đặng, Bùi, Đỗ, Ngô",
        """finance_ministry | Ministry of Finance of Viet Nam | MoF
       revenue_authority | General Department of Taxation | GDT
       parliament | National Assembly of Viet Nam |
       civil_service | Ministry of Home Affairs | MoHA
       anti_corruption | Government Inspectorate |
       audit | State Audit Office of Viet Nam | SAV
       development_bank | Vietnam Development Bank | VDB
       statistics | General Statistics Office | GSO""",
        "{} People's Committee",
        "Da Nang, Hai Phong, Can Tho, Hue, Quang Ninh",
        "province",
        "provinces",
        name_order="eastern",
    ),
    _c(
        "ID",
        5,
        "id en:0.6",
        "IDR",
        16000,
        "Siti, Dewi, Ratna, Ayu, Putri, Nurul, Indah, Fitri, Rina, Wulan",
        "Agus, Budi, Dedi, Eko, Hendra, Rizal, Arief, Yusuf, Bambang, Fajar",
        "Santoso, Wibowo, Hidayat, Kusuma, Pratama, Saputra, Setiawan, Nugroho, Siregar, "
        "Harahap, Rahman, Susanto",
        """finance_ministry | Ministry of Finance of Indonesia | Kemenkeu
       revenue_authority | Directorate General of Taxes | DJP
       parliament | House of Representatives of Indonesia | DPR
       civil_service | Ministry of State Apparatus Utilisation and Bureaucratic Reform | KemenPAN-RB
       procurement | National Public Procurement Agency | LKPP
       anti_corruption | Corruption Eradication Commission | KPK
       audit | Audit Board of the Republic of Indonesia | BPK
       statistics | Statistics Indonesia | BPS""",
        "{} City Government",
        "Surabaya, Bandung, Makassar, Semarang, Medan",
        "city",
        "cities",
    ),
    _c(
        "PH",
        5,
        "en tl:0.9",
        "PHP",
        56,
        "Maria Cristina, Ana, Rowena, Jocelyn, Maricel, Liza, Kristine, Joy, Rhea, Grace",
        "Jose, Mark Anthony, Ramon, Rodel, Jerome, Carlo, Paolo, Noel, Arnel, Dennis",
        "Santos, Reyes, Cruz, Bautista, Garcia, Mendoza, Villanueva, Dela Cruz, Aquino, Ramos, "
        "Castillo, Navarro",
        """finance_ministry | Department of Finance | DOF
       revenue_authority | Bureau of Internal Revenue | BIR
       parliament | House of Representatives of the Philippines |
       civil_service | Civil Service Commission | CSC
       procurement | Government Procurement Policy Board | GPPB
       audit | Commission on Audit | COA
       anti_corruption | Office of the Ombudsman |
       statistics | Philippine Statistics Authority | PSA
       intergovernmental | Department of the Interior and Local Government | DILG""",
        "City Government of {}",
        "Iloilo, Davao, Cebu, Naga, Baguio",
        "city",
        "cities",
    ),
    # --- Europe --------------------------------------------------------------------------
    _c(
        "GB",
        7,
        "en fr:0.2",
        "GBP",
        0.79,
        "Sarah, Emma, Rachel, Catherine, Fiona, Priya, Helen, Joanne, Aisha, Claire",
        "James, David, Mark, Richard, Andrew, Tom, Stuart, Imran, Neil, Gareth",
        "Smith, Jones, Taylor, Brown, Williams, Wilson, Evans, Thomas, Campbell, Patel, Hughes, "
        "Clarke, Ahmed, Robertson",
        """finance_ministry | HM Treasury |
       revenue_authority | HM Revenue & Customs | HMRC
       parliament | House of Commons Library |
       cabinet | Cabinet Office |
       procurement | Crown Commercial Service | CCS
       audit | National Audit Office | NAO
       statistics | Office for National Statistics | ONS
       service_agency | Government Digital Service | GDS
       think_tank | Institute for Government | IfG""",
        "{} City Council",
        "Birmingham, Manchester, Leeds, Bristol, Glasgow",
        "council",
        "councils",
    ),
    _c(
        "FR",
        3,
        "fr en:0.8 es:0.2",
        "EUR",
        0.92,
        "Camille, Claire, Sophie, Nathalie, Élodie, Isabelle, Amandine, Céline, Leïla, Hélène",
        "Thomas, Nicolas, Julien, Pierre, Antoine, Mathieu, François, Karim, Olivier, Guillaume",
        "Martin, Bernard, Dubois, Durand, Lefebvre, Moreau, Laurent, Simon, Michel, Garcia, "
        "Roux, Fontaine, Girard, Mercier",
        """revenue_authority | Direction générale des Finances publiques | DGFiP
       parliament | Assemblée nationale |
       civil_service | Direction générale de l'administration et de la fonction publique | DGAFP
       anti_corruption | Agence française anticorruption | AFA
       audit | Cour des comptes |
       cabinet | Direction interministérielle de la transformation publique | DITP
       statistics | Institut national de la statistique et des études économiques | INSEE""",
        "Ville de {}",
        "Lyon, Lille, Nantes, Bordeaux, Strasbourg",
        "municipality",
        "municipalities",
    ),
    _c(
        "EE",
        3,
        "et en:0.95 ru:0.4",
        "EUR",
        0.92,
        "Kadri, Liis, Triin, Kristiina, Maarja, Katrin, Piret, Anu, Tiina, Merle",
        "Andres, Marko, Tõnu, Rein, Siim, Kristjan, Martin, Priit, Indrek, Margus",
        "Tamm, Saar, Sepp, Mägi, Kask, Kukk, Rebane, Ilves, Pärn, Koppel, Lepik, Kuusk",
        """finance_ministry | Ministry of Finance of Estonia |
       revenue_authority | Estonian Tax and Customs Board | ETCB
       parliament | Riigikogu |
       cabinet | Government Office of Estonia |
       audit | National Audit Office of Estonia |
       service_agency | Information System Authority | RIA
       statistics | Statistics Estonia |
       think_tank | e-Governance Academy | eGA""",
        "{} City Government",
        "Tallinn, Tartu, Pärnu, Narva",
        "city",
        "cities",
    ),
)

BY_CODE: dict[str, CountrySeed] = {c.code: c for c in COUNTRIES}
