"""The words the demo spaces are made of: neighbourhoods, roads, name words, descriptions.

Every district of ``services/spaces/catalogue/districts.json`` has a few real
neighbourhoods (dong, without the ``-dong``) with their Revised Romanisation and
one or more real roads nearby. Road names that end in 길 (gil) get no numbered
side street.
"""

# district code: [(dong, romanised, [(road, romanised), ...]), ...]
DONGS: dict[str, list[tuple[str, str, list[tuple[str, str]]]]] = {
    "jongno": [
        ("혜화", "Hyehwa", [("대학로", "Daehak-ro"), ("창경궁로", "Changgyeonggung-ro")]),
        ("삼청", "Samcheong", [("삼청로", "Samcheong-ro"), ("북촌로", "Bukchon-ro")]),
        ("부암", "Buam", [("자하문로", "Jahamun-ro"), ("창의문로", "Changuimun-ro")]),
        ("평창", "Pyeongchang", [("평창문화로", "Pyeongchangmunhwa-ro"), ("평창길", "Pyeongchang-gil")]),
        ("창신", "Changsin", [("지봉로", "Jibong-ro"), ("창신길", "Changsin-gil")]),
        ("숭인", "Sungin", [("종로", "Jong-ro"), ("숭인동길", "Sungindong-gil")]),
        ("이화", "Ihwa", [("율곡로", "Yulgok-ro"), ("이화장길", "Ihwajang-gil")]),
        ("사직", "Sajik", [("사직로", "Sajik-ro"), ("필운대로", "Pirundae-ro")]),
        ("무악", "Muak", [("통일로", "Tongil-ro")]),
    ],
    "jung": [
        ("명동", "Myeongdong", [("명동길", "Myeongdong-gil"), ("퇴계로", "Toegye-ro")]),
        ("필동", "Pildong", [("퇴계로", "Toegye-ro"), ("필동로", "Pildong-ro")]),
        ("신당", "Sindang", [("다산로", "Dasan-ro"), ("퇴계로", "Toegye-ro")]),
        ("황학", "Hwanghak", [("마장로", "Majang-ro"), ("난계로", "Nangye-ro")]),
        ("회현", "Hoehyeon", [("소월로", "Sowol-ro"), ("퇴계로", "Toegye-ro")]),
        ("약수", "Yaksu", [("동호로", "Dongho-ro"), ("다산로", "Dasan-ro")]),
        ("청구", "Cheonggu", [("청구로", "Cheonggu-ro"), ("동호로", "Dongho-ro")]),
        ("중림", "Jungnim", [("청파로", "Cheongpa-ro"), ("중림로", "Jungnim-ro")]),
        ("광희", "Gwanghui", [("을지로", "Eulji-ro"), ("퇴계로", "Toegye-ro")]),
    ],
    "yongsan": [
        ("이태원", "Itaewon", [("이태원로", "Itaewon-ro"), ("보광로", "Bogwang-ro")]),
        ("한남", "Hannam", [("한남대로", "Hannam-daero"), ("대사관로", "Daesagwan-ro")]),
        ("후암", "Huam", [("후암로", "Huam-ro"), ("두텁바위로", "Duteopbawi-ro")]),
        ("효창", "Hyochang", [("효창원로", "Hyochangwon-ro"), ("백범로", "Baekbeom-ro")]),
        ("청파", "Cheongpa", [("청파로", "Cheongpa-ro")]),
        ("이촌", "Ichon", [("이촌로", "Ichon-ro"), ("서빙고로", "Seobinggo-ro")]),
        ("보광", "Bogwang", [("보광로", "Bogwang-ro")]),
        ("원효", "Wonhyo", [("원효로", "Wonhyo-ro")]),
        ("서빙고", "Seobinggo", [("서빙고로", "Seobinggo-ro")]),
    ],
    "seongdong": [
        ("성수", "Seongsu", [("성수이로", "Seongsui-ro"), ("아차산로", "Achasan-ro"), ("연무장길", "Yeonmujang-gil")]),
        ("왕십리", "Wangsimni", [("왕십리로", "Wangsimni-ro"), ("무학로", "Muhak-ro")]),
        ("금호", "Geumho", [("금호로", "Geumho-ro"), ("독서당로", "Dokseodang-ro")]),
        ("옥수", "Oksu", [("독서당로", "Dokseodang-ro"), ("동호로", "Dongho-ro")]),
        ("행당", "Haengdang", [("행당로", "Haengdang-ro"), ("왕십리로", "Wangsimni-ro")]),
        ("마장", "Majang", [("마장로", "Majang-ro")]),
        ("사근", "Sageun", [("사근동길", "Sageundong-gil"), ("마조로", "Majo-ro")]),
        ("응봉", "Eungbong", [("고산자로", "Gosanja-ro"), ("독서당로", "Dokseodang-ro")]),
        ("용답", "Yongdap", [("천호대로", "Cheonho-daero"), ("용답길", "Yongdap-gil")]),
    ],
    "gwangjin": [
        ("자양", "Jayang", [("자양로", "Jayang-ro"), ("뚝섬로", "Ttukseom-ro")]),
        ("구의", "Guui", [("광나루로", "Gwangnaru-ro"), ("자양로", "Jayang-ro")]),
        ("화양", "Hwayang", [("능동로", "Neungdong-ro"), ("아차산로", "Achasan-ro")]),
        ("중곡", "Junggok", [("긴고랑로", "Gingorang-ro"), ("천호대로", "Cheonho-daero")]),
        ("군자", "Gunja", [("천호대로", "Cheonho-daero"), ("능동로", "Neungdong-ro")]),
        ("능동", "Neungdong", [("능동로", "Neungdong-ro")]),
        ("광장", "Gwangjang", [("광장로", "Gwangjang-ro"), ("아차산로", "Achasan-ro")]),
        ("노유", "Noyu", [("뚝섬로", "Ttukseom-ro"), ("동일로", "Dongil-ro")]),
    ],
    "dongdaemun": [
        ("회기", "Hoegi", [("회기로", "Hoegi-ro")]),
        ("휘경", "Hwigyeong", [("휘경로", "Hwigyeong-ro"), ("망우로", "Mangu-ro")]),
        ("이문", "Imun", [("이문로", "Imun-ro"), ("한천로", "Hancheon-ro")]),
        ("제기", "Jegi", [("제기로", "Jegi-ro"), ("약령중앙로", "Yangnyeongjungang-ro")]),
        ("전농", "Jeonnong", [("전농로", "Jeonnong-ro"), ("사가정로", "Sagajeong-ro")]),
        ("답십리", "Dapsimni", [("답십리로", "Dapsimni-ro"), ("천호대로", "Cheonho-daero")]),
        ("장안", "Jangan", [("장한로", "Janghan-ro"), ("천호대로", "Cheonho-daero")]),
        ("청량리", "Cheongnyangni", [("왕산로", "Wangsan-ro"), ("홍릉로", "Hongneung-ro")]),
        ("용신", "Yongsin", [("무학로", "Muhak-ro"), ("왕산로", "Wangsan-ro")]),
    ],
    "jungnang": [
        ("면목", "Myeonmok", [("면목로", "Myeonmok-ro"), ("용마산로", "Yongmasan-ro")]),
        ("상봉", "Sangbong", [("상봉로", "Sangbong-ro"), ("망우로", "Mangu-ro")]),
        ("중화", "Junghwa", [("동일로", "Dongil-ro"), ("봉화산로", "Bonghwasan-ro")]),
        ("신내", "Sinnae", [("신내로", "Sinnae-ro"), ("봉화산로", "Bonghwasan-ro")]),
        ("망우", "Mangu", [("망우로", "Mangu-ro"), ("송림길", "Songnim-gil")]),
        ("묵동", "Mukdong", [("동일로", "Dongil-ro"), ("공릉로", "Gongneung-ro")]),
    ],
    "seongbuk": [
        ("성북", "Seongbuk", [("성북로", "Seongbuk-ro"), ("선잠로", "Seonjam-ro")]),
        ("삼선", "Samseon", [("삼선교로", "Samseongyo-ro"), ("보문로", "Bomun-ro")]),
        ("돈암", "Donam", [("동소문로", "Dongsomun-ro"), ("아리랑로", "Arirang-ro")]),
        ("안암", "Anam", [("안암로", "Anam-ro"), ("인촌로", "Inchon-ro")]),
        ("보문", "Bomun", [("보문로", "Bomun-ro")]),
        ("정릉", "Jeongneung", [("정릉로", "Jeongneung-ro"), ("아리랑로", "Arirang-ro")]),
        ("길음", "Gireum", [("길음로", "Gireum-ro"), ("삼양로", "Samyang-ro")]),
        ("종암", "Jongam", [("종암로", "Jongam-ro"), ("화랑로", "Hwarang-ro")]),
        ("월곡", "Wolgok", [("월곡로", "Wolgok-ro"), ("화랑로", "Hwarang-ro")]),
        ("장위", "Jangwi", [("장월로", "Jangwol-ro"), ("돌곶이로", "Dolgoji-ro")]),
        ("석관", "Seokgwan", [("돌곶이로", "Dolgoji-ro"), ("한천로", "Hancheon-ro")]),
    ],
    "gangbuk": [
        ("미아", "Mia", [("도봉로", "Dobong-ro"), ("솔매로", "Solmae-ro")]),
        ("수유", "Suyu", [("수유로", "Suyu-ro"), ("한천로", "Hancheon-ro")]),
        ("우이", "Ui", [("삼양로", "Samyang-ro"), ("우이동길", "Uidong-gil")]),
        ("송중", "Songjung", [("솔샘로", "Solsaem-ro"), ("도봉로", "Dobong-ro")]),
        ("송천", "Songcheon", [("삼양로", "Samyang-ro"), ("솔샘로", "Solsaem-ro")]),
        ("삼양", "Samyang", [("삼양로", "Samyang-ro")]),
        ("인수", "Insu", [("인수봉로", "Insubong-ro"), ("4.19로", "4.19-ro")]),
        ("번동", "Beondong", [("한천로", "Hancheon-ro"), ("오현로", "Ohyeon-ro")]),
    ],
    "dobong": [
        ("쌍문", "Ssangmun", [("우이천로", "Uicheon-ro"), ("도봉로", "Dobong-ro")]),
        ("방학", "Banghak", [("방학로", "Banghak-ro"), ("시루봉로", "Sirubong-ro")]),
        ("창동", "Changdong", [("노해로", "Nohae-ro"), ("마들로", "Madeul-ro")]),
        ("도봉", "Dobong", [("도봉로", "Dobong-ro"), ("마들로", "Madeul-ro")]),
    ],
    "nowon": [
        ("상계", "Sanggye", [("상계로", "Sanggye-ro"), ("한글비석로", "Hangeulbiseok-ro")]),
        ("중계", "Junggye", [("중계로", "Junggye-ro"), ("노원로", "Nowon-ro")]),
        ("하계", "Hagye", [("한글비석로", "Hangeulbiseok-ro"), ("섬밭로", "Seombat-ro")]),
        ("공릉", "Gongneung", [("공릉로", "Gongneung-ro"), ("동일로", "Dongil-ro")]),
        ("월계", "Wolgye", [("월계로", "Wolgye-ro"), ("석계로", "Seokgye-ro")]),
        ("노원", "Nowon", [("노원로", "Nowon-ro"), ("동일로", "Dongil-ro")]),
        ("불암", "Buram", [("동일로", "Dongil-ro"), ("덕릉로", "Deongneung-ro")]),
    ],
    "eunpyeong": [
        ("불광", "Bulgwang", [("불광로", "Bulgwang-ro"), ("통일로", "Tongil-ro")]),
        ("갈현", "Galhyeon", [("갈현로", "Galhyeon-ro"), ("연서로", "Yeonseo-ro")]),
        ("응암", "Eungam", [("응암로", "Eungam-ro"), ("은평로", "Eunpyeong-ro")]),
        ("역촌", "Yeokchon", [("서오릉로", "Seooreung-ro"), ("역말로", "Yeongmal-ro")]),
        ("녹번", "Nokbeon", [("통일로", "Tongil-ro"), ("은평로", "Eunpyeong-ro")]),
        ("대조", "Daejo", [("연서로", "Yeonseo-ro"), ("통일로", "Tongil-ro")]),
        ("신사", "Sinsa", [("증산로", "Jeungsan-ro"), ("은평로", "Eunpyeong-ro")]),
        ("구산", "Gusan", [("연서로", "Yeonseo-ro"), ("서오릉로", "Seooreung-ro")]),
        ("진관", "Jingwan", [("진관길", "Jingwan-gil"), ("진관2로", "Jingwan 2-ro")]),
        ("수색", "Susaek", [("수색로", "Susaek-ro"), ("증산로", "Jeungsan-ro")]),
    ],
    "seodaemun": [
        ("신촌", "Sinchon", [("신촌로", "Sinchon-ro"), ("연세로", "Yonsei-ro")]),
        ("연희", "Yeonhui", [("연희로", "Yeonhui-ro"), ("연희맛로", "Yeonhuimat-ro")]),
        ("홍제", "Hongje", [("통일로", "Tongil-ro"), ("세검정로", "Segeomjeong-ro")]),
        ("홍은", "Hongeun", [("홍은중앙로", "Hongeunjungang-ro"), ("통일로", "Tongil-ro")]),
        ("남가좌", "Namgajwa", [("거북골로", "Geobukgol-ro"), ("모래내로", "Moraenae-ro")]),
        ("북가좌", "Bukgajwa", [("수색로", "Susaek-ro"), ("증가로", "Jeungga-ro")]),
        ("북아현", "Bugahyeon", [("북아현로", "Bugahyeon-ro"), ("신촌로", "Sinchon-ro")]),
        ("천연", "Cheonyeon", [("통일로", "Tongil-ro"), ("독립문로", "Dongnimmun-ro")]),
    ],
    "mapo": [
        ("망원", "Mangwon", [("망원로", "Mangwon-ro"), ("포은로", "Poeun-ro"), ("월드컵로", "World Cup-ro")]),
        ("연남", "Yeonnam", [("동교로", "Donggyo-ro"), ("성미산로", "Seongmisan-ro")]),
        ("합정", "Hapjeong", [("양화로", "Yanghwa-ro"), ("독막로", "Dongmak-ro")]),
        ("서교", "Seogyo", [("와우산로", "Wausan-ro"), ("잔다리로", "Jandari-ro")]),
        ("성산", "Seongsan", [("성미산로", "Seongmisan-ro"), ("월드컵로", "World Cup-ro")]),
        ("상암", "Sangam", [("월드컵북로", "World Cup buk-ro"), ("상암산로", "Sangamsan-ro")]),
        ("공덕", "Gongdeok", [("마포대로", "Mapo-daero"), ("만리재로", "Mallijae-ro")]),
        ("아현", "Ahyeon", [("만리재로", "Mallijae-ro"), ("신촌로", "Sinchon-ro")]),
        ("염리", "Yeomni", [("대흥로", "Daeheung-ro"), ("숭문길", "Sungmun-gil")]),
        ("도화", "Dohwa", [("도화길", "Dohwa-gil"), ("마포대로", "Mapo-daero")]),
    ],
    "yangcheon": [
        ("목동", "Mokdong", [("목동동로", "Mokdongdong-ro"), ("목동서로", "Mokdongseo-ro"), ("오목로", "Omok-ro")]),
        ("신정", "Sinjeong", [("신정로", "Sinjeong-ro"), ("중앙로", "Jungang-ro"), ("목동서로", "Mokdongseo-ro")]),
        (
            "신월",
            "Sinwol",
            [("신월로", "Sinwol-ro"), ("남부순환로", "Nambusunhwan-ro"), ("가로공원로", "Garogongwon-ro")],
        ),
    ],
    "gangseo": [
        ("화곡", "Hwagok", [("화곡로", "Hwagok-ro"), ("곰달래로", "Gomdallae-ro")]),
        ("등촌", "Deungchon", [("등촌로", "Deungchon-ro"), ("공항대로", "Gonghang-daero")]),
        ("염창", "Yeomchang", [("양천로", "Yangcheon-ro"), ("공항대로", "Gonghang-daero")]),
        ("가양", "Gayang", [("양천로", "Yangcheon-ro"), ("허준로", "Heojun-ro")]),
        ("발산", "Balsan", [("강서로", "Gangseo-ro"), ("공항대로", "Gonghang-daero")]),
        ("방화", "Banghwa", [("방화대로", "Banghwa-daero"), ("금낭화로", "Geumnanghwa-ro")]),
        ("공항", "Gonghang", [("공항대로", "Gonghang-daero"), ("방화대로", "Banghwa-daero")]),
        ("우장산", "Ujangsan", [("우장산로", "Ujangsan-ro"), ("강서로", "Gangseo-ro")]),
        ("마곡", "Magok", [("마곡중앙로", "Magokjungang-ro"), ("공항대로", "Gonghang-daero")]),
    ],
    "guro": [
        ("구로", "Guro", [("구로중앙로", "Gurojungang-ro"), ("디지털로", "Digital-ro")]),
        ("신도림", "Sindorim", [("경인로", "Gyeongin-ro"), ("새말로", "Saemal-ro")]),
        ("개봉", "Gaebong", [("개봉로", "Gaebong-ro"), ("경인로", "Gyeongin-ro")]),
        ("오류", "Oryu", [("오리로", "Ori-ro"), ("경인로", "Gyeongin-ro")]),
        ("고척", "Gocheok", [("고척로", "Gocheok-ro"), ("경인로", "Gyeongin-ro")]),
        ("가리봉", "Garibong", [("디지털로", "Digital-ro"), ("남부순환로", "Nambusunhwan-ro")]),
        ("수궁", "Sugung", [("오리로", "Ori-ro"), ("벚꽃로", "Beotkkot-ro")]),
    ],
    "geumcheon": [
        ("가산", "Gasan", [("가산로", "Gasan-ro"), ("벚꽃로", "Beotkkot-ro")]),
        ("독산", "Doksan", [("독산로", "Doksan-ro"), ("범안로", "Beoman-ro")]),
        ("시흥", "Siheung", [("시흥대로", "Siheung-daero"), ("금하로", "Geumha-ro")]),
    ],
    "yeongdeungpo": [
        ("여의도", "Yeouido", [("여의대로", "Yeoui-daero"), ("국제금융로", "Gukjegeumyung-ro")]),
        ("당산", "Dangsan", [("당산로", "Dangsan-ro"), ("양평로", "Yangpyeong-ro")]),
        ("문래", "Mullae", [("도림로", "Dorim-ro"), ("경인로", "Gyeongin-ro")]),
        ("양평", "Yangpyeong", [("양평로", "Yangpyeong-ro"), ("선유로", "Seonyu-ro")]),
        ("신길", "Singil", [("신길로", "Singil-ro"), ("영등포로", "Yeongdeungpo-ro")]),
        ("대림", "Daerim", [("대림로", "Daerim-ro"), ("도림천로", "Dorimcheon-ro")]),
        ("도림", "Dorim", [("도림로", "Dorim-ro")]),
        ("영등포", "Yeongdeungpo", [("영등포로", "Yeongdeungpo-ro"), ("영중로", "Yeongjung-ro")]),
    ],
    "dongjak": [
        ("노량진", "Noryangjin", [("노량진로", "Noryangjin-ro"), ("장승배기로", "Jangseungbaegi-ro")]),
        ("상도", "Sangdo", [("상도로", "Sangdo-ro"), ("성대로", "Seongdae-ro")]),
        ("흑석", "Heukseok", [("흑석로", "Heukseok-ro"), ("현충로", "Hyeonchung-ro")]),
        ("사당", "Sadang", [("사당로", "Sadang-ro"), ("동작대로", "Dongjak-daero")]),
        ("대방", "Daebang", [("여의대방로", "Yeouidaebang-ro"), ("노량진로", "Noryangjin-ro")]),
        ("신대방", "Sindaebang", [("보라매로", "Boramae-ro"), ("여의대방로", "Yeouidaebang-ro")]),
        ("동작", "Dongjak", [("동작대로", "Dongjak-daero"), ("현충로", "Hyeonchung-ro")]),
    ],
    "gwanak": [
        ("봉천", "Bongcheon", [("봉천로", "Bongcheon-ro"), ("관악로", "Gwanak-ro")]),
        ("신림", "Sillim", [("신림로", "Sillim-ro"), ("난곡로", "Nangok-ro")]),
        ("낙성대", "Nakseongdae", [("낙성대로", "Nakseongdae-ro"), ("남부순환로", "Nambusunhwan-ro")]),
        ("청룡", "Cheongnyong", [("관악로", "Gwanak-ro"), ("봉천로", "Bongcheon-ro")]),
        ("인헌", "Inheon", [("인헌길", "Inheon-gil"), ("남부순환로", "Nambusunhwan-ro")]),
        ("난곡", "Nangok", [("난곡로", "Nangok-ro"), ("신림로", "Sillim-ro")]),
        ("은천", "Euncheon", [("은천로", "Euncheon-ro"), ("봉천로", "Bongcheon-ro")]),
        ("행운", "Haengun", [("봉천로", "Bongcheon-ro"), ("남부순환로", "Nambusunhwan-ro")]),
    ],
    "seocho": [
        ("방배", "Bangbae", [("방배로", "Bangbae-ro"), ("동광로", "Donggwang-ro")]),
        ("반포", "Banpo", [("반포대로", "Banpo-daero"), ("신반포로", "Sinbanpo-ro")]),
        ("잠원", "Jamwon", [("잠원로", "Jamwon-ro"), ("나루터로", "Naruteo-ro")]),
        ("양재", "Yangjae", [("양재천로", "Yangjaecheon-ro"), ("강남대로", "Gangnam-daero")]),
        ("내곡", "Naegok", [("헌릉로", "Heolleung-ro"), ("청계산로", "Cheonggyesan-ro")]),
        ("서초", "Seocho", [("서초대로", "Seocho-daero"), ("서운로", "Seoun-ro")]),
        ("우면", "Umyeon", [("바우뫼로", "Baumoe-ro"), ("태봉로", "Taebong-ro")]),
    ],
    "gangnam": [
        ("역삼", "Yeoksam", [("역삼로", "Yeoksam-ro"), ("논현로", "Nonhyeon-ro")]),
        ("삼성", "Samseong", [("삼성로", "Samseong-ro"), ("봉은사로", "Bongeunsa-ro")]),
        ("대치", "Daechi", [("도곡로", "Dogok-ro"), ("삼성로", "Samseong-ro")]),
        ("개포", "Gaepo", [("개포로", "Gaepo-ro"), ("선릉로", "Seolleung-ro")]),
        ("일원", "Irwon", [("일원로", "Irwon-ro"), ("양재대로", "Yangjae-daero")]),
        ("수서", "Suseo", [("광평로", "Gwangpyeong-ro"), ("밤고개로", "Bamgogae-ro")]),
        ("논현", "Nonhyeon", [("논현로", "Nonhyeon-ro"), ("학동로", "Hakdong-ro")]),
        ("압구정", "Apgujeong", [("압구정로", "Apgujeong-ro"), ("도산대로", "Dosan-daero")]),
        ("청담", "Cheongdam", [("도산대로", "Dosan-daero"), ("영동대로", "Yeongdong-daero")]),
        ("세곡", "Segok", [("헌릉로", "Heolleung-ro"), ("밤고개로", "Bamgogae-ro")]),
    ],
    "songpa": [
        ("잠실", "Jamsil", [("올림픽로", "Olympic-ro"), ("백제고분로", "Baekjegobun-ro")]),
        ("석촌", "Seokchon", [("석촌호수로", "Seokchonhosu-ro"), ("백제고분로", "Baekjegobun-ro")]),
        ("송파", "Songpa", [("송파대로", "Songpa-daero"), ("가락로", "Garak-ro")]),
        ("가락", "Garak", [("가락로", "Garak-ro"), ("중대로", "Jungdae-ro")]),
        ("문정", "Munjeong", [("충민로", "Chungmin-ro"), ("동남로", "Dongnam-ro")]),
        ("방이", "Bangi", [("위례성대로", "Wiryeseong-daero"), ("오금로", "Ogeum-ro")]),
        ("오금", "Ogeum", [("오금로", "Ogeum-ro"), ("중대로", "Jungdae-ro")]),
        ("마천", "Macheon", [("마천로", "Macheon-ro"), ("거마로", "Geoma-ro")]),
        ("거여", "Geoyeo", [("거마로", "Geoma-ro"), ("오금로", "Ogeum-ro")]),
        ("풍납", "Pungnap", [("풍성로", "Pungseong-ro"), ("토성로", "Toseong-ro")]),
    ],
    "gangdong": [
        ("천호", "Cheonho", [("천호대로", "Cheonho-daero"), ("올림픽로", "Olympic-ro")]),
        ("성내", "Seongnae", [("성내로", "Seongnae-ro"), ("강동대로", "Gangdong-daero")]),
        ("길동", "Gildong", [("양재대로", "Yangjae-daero"), ("진황도로", "Jinhwangdo-ro")]),
        ("둔촌", "Dunchon", [("명일로", "Myeongil-ro"), ("양재대로", "Yangjae-daero")]),
        ("명일", "Myeongil", [("명일로", "Myeongil-ro"), ("구천면로", "Gucheonmyeon-ro")]),
        ("고덕", "Godeok", [("고덕로", "Godeok-ro"), ("동남로", "Dongnam-ro")]),
        ("암사", "Amsa", [("올림픽로", "Olympic-ro"), ("상암로", "Sangam-ro")]),
        ("상일", "Sangil", [("상일로", "Sangil-ro"), ("고덕로", "Godeok-ro")]),
        ("강일", "Gangil", [("아리수로", "Arisu-ro"), ("강일로", "Gangil-ro")]),
    ],
}

# Words a community space is often named after, with their romanisation as a proper noun.
NAME_WORDS: list[tuple[str, str]] = [
    ("햇살", "Haessal"),
    ("이음", "Ieum"),
    ("나눔", "Nanum"),
    ("마을", "Maeul"),
    ("두레", "Dure"),
    ("어울림", "Eoullim"),
    ("새싹", "Saessak"),
    ("도란도란", "Dorandoran"),
    ("품앗이", "Pumasi"),
    ("꿈꾸는", "Kkumkkuneun"),
    ("다온", "Daon"),
    ("온누리", "Onnuri"),
    ("느티나무", "Neutinamu"),
    ("별빛", "Byeolbit"),
    ("한울", "Hanul"),
    ("모두의", "Moduui"),
    ("함께", "Hamkke"),
    ("소풍", "Sopung"),
]

# How common each space type is (catalogue codes; a type missing here weighs 1).
TYPE_WEIGHTS: dict[str, int] = {
    "small_library": 18,
    "community_space": 16,
    "village_meeting_room": 14,
    "community_cafe": 7,
    "club_room": 7,
    "shared_kitchen": 6,
    "youth_space": 6,
    "senior_centre": 6,
    "childcare_space": 5,
    "village_vitality_centre": 4,
    "village_art_centre": 4,
    "community_workshop": 4,
    "neighbourhood_bookstore": 3,
    "residential_community_facility": 4,
}

# A second type that goes with a space's first one (a space has one or two types).
COMPANION_TYPES: dict[str, list[str]] = {
    "small_library": ["community_space", "childcare_space", "neighbourhood_bookstore", "club_room"],
    "community_space": ["village_meeting_room", "shared_kitchen", "club_room", "community_cafe"],
    "village_meeting_room": ["community_space", "village_vitality_centre"],
    "community_cafe": ["community_space", "shared_kitchen", "neighbourhood_bookstore"],
    "club_room": ["youth_space", "community_space"],
    "shared_kitchen": ["community_cafe", "community_space"],
    "youth_space": ["club_room", "small_library", "community_workshop"],
    "senior_centre": ["community_space", "shared_kitchen"],
    "childcare_space": ["small_library", "community_space"],
    "village_vitality_centre": ["village_meeting_room", "community_space", "shared_kitchen"],
    "village_art_centre": ["club_room", "community_workshop"],
    "community_workshop": ["village_art_centre", "youth_space"],
    "neighbourhood_bookstore": ["community_cafe", "small_library"],
    "residential_community_facility": ["small_library", "childcare_space", "senior_centre", "village_meeting_room"],
}

# How common each amenity is, and what a type adds to that.
AMENITY_WEIGHTS: dict[str, int] = {
    "wifi": 12,
    "tables_chairs": 10,
    "air_conditioning": 10,
    "whiteboard": 5,
    "projector": 4,
    "screen": 3,
    "wheelchair_access": 5,
    "accessible_toilet": 3,
    "elevator": 3,
    "parking": 2,
    "kitchen": 2,
    "piano": 1,
    "sound_system": 2,
    "lockers": 2,
    "baby_changing": 2,
    "printer": 3,
    "outdoor_space": 1,
    "tools": 1,
}
AMENITIES_BY_TYPE: dict[str, dict[str, int]] = {
    "small_library": {"printer": 4, "lockers": 2},
    "shared_kitchen": {"kitchen": 60},
    "community_cafe": {"kitchen": 8, "wifi": 6},
    "community_workshop": {"tools": 40, "lockers": 3},
    "village_art_centre": {"piano": 5, "sound_system": 5, "tools": 3},
    "village_meeting_room": {"projector": 8, "screen": 5, "whiteboard": 7},
    "childcare_space": {"baby_changing": 20, "kitchen": 3},
    "senior_centre": {"wheelchair_access": 8, "accessible_toilet": 6, "kitchen": 3},
    "youth_space": {"wifi": 6, "sound_system": 4, "lockers": 3},
    "club_room": {"sound_system": 3, "whiteboard": 3},
    "neighbourhood_bookstore": {"wifi": 2},
    "residential_community_facility": {"parking": 6, "elevator": 4},
}

# (Korean, English) sentences per type; {dong} and {dong_en} are the neighbourhood.
DESCRIPTIONS: dict[str, list[tuple[str, str]]] = {
    "small_library": [
        (
            "{dong} 주민들이 함께 가꾸는 작은도서관입니다. 그림책 읽기 모임과 독서 동아리가 열립니다.",
            "A small library run with {dong_en} residents, home to picture-book readings and book clubs.",
        ),
        (
            "아이부터 어르신까지 편하게 책을 읽고 빌릴 수 있는 동네 서재입니다.",
            "A neighbourhood reading room where anyone, young or old, can read and borrow books.",
        ),
    ],
    "community_space": [
        (
            "{dong} 이웃들이 모여 배우고 나누는 공동체 공간입니다.",
            "A community space where {dong_en} neighbours meet, learn and share.",
        ),
        (
            "소모임, 강좌, 작은 잔치까지 주민 누구나 빌려 쓸 수 있습니다.",
            "Any resident can book it for small groups, classes or a little celebration.",
        ),
    ],
    "village_vitality_centre": [
        (
            "마을 의제를 함께 논의하고 주민 활동을 지원하는 마을활력소입니다.",
            "A village vitality centre that supports residents' projects and neighbourhood discussions.",
        ),
        (
            "{dong} 주민자치 활동의 거점으로 회의와 교육이 자주 열립니다.",
            "The hub of self-governance in {dong_en}, with frequent meetings and workshops.",
        ),
    ],
    "village_art_centre": [
        (
            "주민 예술가와 동아리가 창작하고 전시하는 마을예술창작소입니다.",
            "A village art studio where local artists and clubs create and exhibit.",
        ),
        (
            "공연, 전시, 공예 수업이 열리는 {dong}의 작은 문화 거점입니다.",
            "A small cultural hub in {dong_en} for performances, exhibitions and craft classes.",
        ),
    ],
    "shared_kitchen": [
        (
            "조리 도구를 갖춘 공유부엌에서 요리 모임과 반찬 나눔을 할 수 있습니다.",
            "A fully equipped shared kitchen for cooking clubs and side-dish sharing.",
        ),
        (
            "{dong} 이웃과 함께 밥을 짓고 나누는 마을 부엌입니다.",
            "A neighbourhood kitchen where {dong_en} residents cook and eat together.",
        ),
    ],
    "community_workshop": [
        (
            "공구를 빌려 가구를 고치고 물건을 만드는 마을공작소입니다.",
            "A community workshop where you can borrow tools to repair furniture and make things.",
        ),
        (
            "수리 카페와 목공 수업이 정기적으로 열립니다.",
            "Repair cafés and woodworking classes take place here regularly.",
        ),
    ],
    "club_room": [
        (
            "주민 동아리가 연습하고 모일 수 있는 아담한 동아리방입니다.",
            "A cosy club room where residents' clubs rehearse and meet.",
        ),
        (
            "악기 연습, 보드게임, 스터디 모임에 알맞은 공간입니다.",
            "Just right for music practice, board games and study groups.",
        ),
    ],
    "neighbourhood_bookstore": [
        (
            "북토크와 낭독회가 열리는 {dong}의 동네서점입니다.",
            "A neighbourhood bookstore in {dong_en} hosting book talks and readings.",
        ),
        (
            "책방 한켠의 모임 공간을 주민 모임에 빌려 드립니다.",
            "Its corner meeting space is lent out to residents' groups.",
        ),
    ],
    "village_meeting_room": [
        (
            "주민 회의와 소규모 교육에 쓰는 마을회의실입니다.",
            "A village meeting room for residents' meetings and small training sessions.",
        ),
        (
            "{dong} 주민이라면 누구나 예약해서 쓸 수 있는 회의 공간입니다.",
            "A meeting room any {dong_en} resident can book.",
        ),
    ],
    "community_cafe": [
        ("차 한 잔과 함께 이웃을 만나는 마을카페입니다.", "A community café for meeting neighbours over a cup of tea."),
        (
            "주민 협동조합이 운영하며 작은 모임 공간을 함께 씁니다.",
            "Run by a residents' cooperative, with a small meeting area to share.",
        ),
    ],
    "residential_community_facility": [
        (
            "아파트 단지 주민과 이웃이 함께 쓰는 주민공동시설입니다.",
            "A residential community facility shared by the estate and its neighbours.",
        ),
        (
            "단지 안 커뮤니티실을 지역 주민에게도 개방합니다.",
            "The estate's community room, open to the wider neighbourhood.",
        ),
    ],
    "youth_space": [
        (
            "청소년이 스스로 기획하고 운영하는 청소년 공간입니다.",
            "A youth space planned and run by young people themselves.",
        ),
        (
            "방과 후 {dong} 청소년들이 공부하고 쉬어 가는 곳입니다.",
            "Where {dong_en} teenagers study and hang out after school.",
        ),
    ],
    "senior_centre": [
        ("어르신들이 모여 쉬고 배우는 경로당입니다.", "A senior centre where older residents gather, rest and learn."),
        (
            "건강 체조와 한글 교실이 열리는 {dong} 어르신들의 사랑방입니다.",
            "The living room of {dong_en}'s elders, with exercise and literacy classes.",
        ),
    ],
    "childcare_space": [
        (
            "부모와 아이가 함께 놀고 돌봄을 나누는 공동육아방입니다.",
            "A shared childcare room where parents and children play and share care.",
        ),
        (
            "{dong} 영유아 가족을 위한 놀이 공간과 육아 모임이 있습니다.",
            "Play space and parents' groups for families with young children in {dong_en}.",
        ),
    ],
}
GENERIC_DESCRIPTIONS: list[tuple[str, str]] = [
    ("최대 {capacity}명까지 이용할 수 있습니다.", "Up to {capacity} people."),
    ("예약 후 누구나 무료로 이용할 수 있습니다.", "Free for anyone, by booking."),
    ("대중교통으로 찾아오기 쉽습니다.", "Easy to reach by public transport."),
    ("주말에는 주민 프로그램이 열립니다.", "Residents' programmes run at weekends."),
    ("처음 오시는 분도 편하게 들러 주세요.", "First-timers are always welcome."),
]

# Closures: a fixed calendar, so the same N always gives the same spaces.
HOLIDAY_CLOSURES: list[tuple[str, str, str]] = [
    ("2026-12-24T18:00", "2026-12-26T09:00", "연말 휴관 (Year-end holidays)"),
    ("2027-01-01T00:00", "2027-01-02T00:00", "신정 휴관 (New Year's Day)"),
    ("2027-02-06T00:00", "2027-02-10T00:00", "설 연휴 휴관 (Lunar New Year holidays)"),
    ("2027-09-14T00:00", "2027-09-17T00:00", "추석 연휴 휴관 (Chuseok holidays)"),
]
RENOVATION_REASONS: list[str] = [
    "내부 공사 (Renovation works)",
    "정기 소독 (Regular disinfection)",
    "시설 점검 (Facility inspection)",
    "냉난방기 교체 (Replacing the air conditioning)",
]
